package dev.workspacecache.notifications;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import dev.workspacecache.ConditionalWriteResult;
import dev.workspacecache.WorkspaceWrite;
import dev.workspacecache.testsupport.TestSentinels;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.wholeWorkspace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Change notifications through Sentinel, and what a failover does to them: watchers
 * resynchronize, and their subscriptions come back on the promoted replica.
 */
class ChangeNotificationsSentinelIntegrationTests extends AbstractChangeNotificationsIntegrationTests {

	private static TestSentinels sentinels;

	@BeforeAll
	static void startSentinels() {
		sentinels = TestSentinels.start();
	}

	@AfterAll
	static void stopSentinels() {
		if (sentinels != null) {
			sentinels.close();
		}
	}

	@Override
	protected LettuceConnectionFactory connectionFactory() {
		RedisSentinelConfiguration configuration = new RedisSentinelConfiguration(TestSentinels.MASTER_NAME,
				new HashSet<>(Arrays.asList(sentinels.nodesProperty().split(","))));
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration,
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	@Test
	@Order(LAST)
	void aFailoverResynchronizesListenersAndTheSubscriptionComesBackOnThePromotedReplica() {
		UUID id = UUID.randomUUID();
		this.a.notifications().watch(id);
		this.b.cache().cacheAll(id, wholeWorkspace(id, "before the failover"));
		this.a.heard().await(id, 1);
		sentinels.awaitReplicated(Duration.ofSeconds(10));

		int heardBefore = this.a.heard().resynchronizations().size();
		long killed = System.nanoTime();
		sentinels.master().kill();
		Resubscription resubscription = Resubscription.awaitRestored(this.a, heardBefore, killed);
		ConditionalWriteResult written = await("B writes on the promoted replica")
			.atMost(Resubscription.RESTORE_TIMEOUT)
			.ignoreExceptions()
			.until(() -> this.b.cache()
				.writeIfVersion(id, 1, WorkspaceWrite.file("after-failover.txt", modified("after"))), (r) -> true);
		assertThat(written.version()).isEqualTo(2);
		assertThat(sentinels.currentMasterPort()).isEqualTo(sentinels.replica().port());
		resubscription.assertHeardAfterRestore(this.b, id, 2);
		System.out.println(resubscription.describe("RESYNC sentinel failover"));
	}

}
