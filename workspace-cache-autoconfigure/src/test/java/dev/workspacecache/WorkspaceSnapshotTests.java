package dev.workspacecache;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.workspacecache.WorkspaceFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link WorkspaceSnapshot}. They replace the original's JSON round-trip test:
 * what a round trip through any codec relies on is that a snapshot rebuilt from its
 * components equals the original.
 */
class WorkspaceSnapshotTests {

	@Test
	void snapshotRebuiltFromItsComponentsEqualsTheOriginal() {
		WorkspaceSnapshot snapshot = snapshot(UUID.randomUUID());
		WorkspaceSnapshot copy = new WorkspaceSnapshot(snapshot.sessionId(), snapshot.repoId(), snapshot.agentId(),
				snapshot.agentName(), snapshot.changesetId(), snapshot.intent(), snapshot.baseCommit(),
				snapshot.state(), snapshot.mode());
		assertThat(copy).isEqualTo(snapshot).hasSameHashCodeAs(snapshot);
	}

	@Test
	void snapshotsWithDifferentComponentsDiffer() {
		UUID id = UUID.randomUUID();
		assertThat(snapshot(id, "one")).isNotEqualTo(snapshot(id, "two"));
	}

	static Stream<String> components() {
		return Arrays.stream(WorkspaceSnapshot.class.getRecordComponents()).map(RecordComponent::getName);
	}

	@ParameterizedTest
	@MethodSource("components")
	void nullComponentIsRejected(String component) throws Exception {
		RecordComponent[] components = WorkspaceSnapshot.class.getRecordComponents();
		WorkspaceSnapshot valid = snapshot(UUID.randomUUID());
		Object[] args = new Object[components.length];
		for (int i = 0; i < components.length; i++) {
			args[i] = components[i].getName().equals(component) ? null : components[i].getAccessor().invoke(valid);
		}
		Constructor<WorkspaceSnapshot> constructor = WorkspaceSnapshot.class
			.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
		assertThatThrownBy(() -> constructor.newInstance(args)).isInstanceOf(InvocationTargetException.class)
			.cause()
			.isInstanceOf(NullPointerException.class)
			.hasMessageContaining(component);
	}

}
