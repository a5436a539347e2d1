package dev.workspacecache.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observation of {@link dev.workspacecache.WorkspaceCache} calls and its key names.
 * The workspace id is a high-cardinality key only: it goes to spans, never to metric
 * tags.
 */
public enum WorkspaceCacheObservationDocumentation implements ObservationDocumentation {

	/**
	 * One call of a {@link dev.workspacecache.WorkspaceCache} operation.
	 */
	CACHE_OPERATION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultWorkspaceCacheObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeyNames.values();
		}

	};

	/**
	 * Keys of bounded cardinality: metric tags and span attributes.
	 */
	public enum LowCardinalityKeyNames implements KeyName {

		/**
		 * The operation: the {@link dev.workspacecache.WorkspaceCache} method name, for
		 * example {@code getFile}.
		 */
		OPERATION {

			@Override
			public String asString() {
				return "operation";
			}

		},

		/**
		 * What the call found: {@code hit} or {@code miss} for reads, {@code success} for
		 * writes, touch and evict, {@code refused} for a conditional write not applied,
		 * {@code error} when it threw, {@code cancelled} when a reactive call was
		 * cancelled before it ended.
		 */
		RESULT {

			@Override
			public String asString() {
				return "result";
			}

		},

		/**
		 * The cache mode: {@code noop}, {@code memory} or {@code valkey}, as
		 * {@code workspace.cache.mode} names them.
		 */
		MODE {

			@Override
			public String asString() {
				return "mode";
			}

		},

		/**
		 * What a write or touch found ({@link dev.workspacecache.WriteOutcome}, in lower
		 * case: {@code present}, {@code missing}, {@code evicted}, {@code discarded});
		 * {@code none} for reads, evicts and calls that threw.
		 */
		WRITE_OUTCOME {

			@Override
			public String asString() {
				return "write.outcome";
			}

		}

	}

	/**
	 * Keys of unbounded cardinality: span attributes only.
	 */
	public enum HighCardinalityKeyNames implements KeyName {

		/**
		 * The workspace (session) id.
		 */
		WORKSPACE_ID {

			@Override
			public String asString() {
				return "workspace.id";
			}

		}

	}

}
