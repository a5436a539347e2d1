package dev.workspacecache.benchmarks;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the 1-minute load average every few seconds while the suite runs and keeps the
 * highest, so that the report can say how busy the machine was (the benchmarks' own
 * threads and the server included).
 */
final class LoadSampler implements AutoCloseable {

	private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "load-sampler");
		thread.setDaemon(true);
		return thread;
	});

	private volatile double max = Double.NaN;

	LoadSampler() {
		this.executor.scheduleAtFixedRate(this::sample, 0, 5, TimeUnit.SECONDS);
	}

	private void sample() {
		double load = MachineInfo.oneMinuteLoad();
		if (Double.isNaN(this.max) || load > this.max) {
			this.max = load;
		}
	}

	double max() {
		return this.max;
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
