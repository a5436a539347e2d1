package dev.workspacecache.notifications;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.workspacecache.CachedWorkspace;
import dev.workspacecache.ConditionalWriteResult;
import dev.workspacecache.WorkspaceChange;
import dev.workspacecache.WorkspaceChangeListener;
import dev.workspacecache.WorkspaceWrite;
import dev.workspacecache.testsupport.RedisConnections;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static dev.workspacecache.WorkspaceFixtures.modified;
import static dev.workspacecache.WorkspaceFixtures.wholeWorkspace;

/**
 * One pod of a service, run as a JVM of its own by {@link CachePodProcess}: a
 * {@link NotifyingInstance} on a server, which holds copies of workspaces the way an
 * application keeps live sessions, and keeps them coherent with notifications only: a
 * copy is dropped when a newer version of its workspace is announced, or when the
 * listener is told to resynchronize, and read again from the cache at the next read.
 * <p>
 * It takes one command a line on its standard input and answers each with one line on its
 * standard output, {@code ok <request> ...} or {@code failed <request> <message>}; its
 * logs go to its standard error. Times are wall-clock microseconds since the epoch,
 * comparable between processes on one machine. <pre>
 * create &lt;request&gt; &lt;workspace&gt;             ok &lt;request&gt; &lt;version&gt;
 * hold &lt;request&gt; &lt;workspace&gt;               ok &lt;request&gt; &lt;version&gt;    (watch, then read)
 * write &lt;request&gt; &lt;workspace&gt; &lt;expected&gt;   ok &lt;request&gt; &lt;applied&gt; &lt;version&gt; &lt;returned at&gt;
 * read &lt;request&gt; &lt;workspace&gt;               ok &lt;request&gt; &lt;version&gt; &lt;copy|cache&gt; &lt;started at&gt;
 * report &lt;request&gt;                           heard &lt;workspace&gt; &lt;version&gt; &lt;origin&gt; &lt;heard at&gt; (one a change)
 *                                             ok &lt;request&gt; &lt;changes&gt; &lt;resynchronizations&gt; &lt;worst wake-up&gt;
 * </pre> The pod exits when its input ends.
 */
public final class CachePod implements WorkspaceChangeListener {

	private final NotifyingInstance instance;

	/** The version of each workspace's copy; absent when the pod holds none. */
	private final Map<UUID, Long> copies = new ConcurrentHashMap<>();

	/** The latest version announced of each workspace. */
	private final Map<UUID, Long> announced = new ConcurrentHashMap<>();

	private final ConcurrentLinkedQueue<String> heard = new ConcurrentLinkedQueue<>();

	private final AtomicLong resynchronizations = new AtomicLong();

	/** The worst wake-up delay of the scheduling probe, in microseconds. */
	private final AtomicLong worstWakeUp = new AtomicLong();

	private final PrintStream out;

	private CachePod(NotifyingInstance instance, PrintStream out) {
		this.instance = instance;
		this.out = out;
		instance.notifications().addListener(this);
		Thread probe = new Thread(this::probeScheduling, "scheduling-probe");
		probe.setDaemon(true);
		probe.start();
	}

	/**
	 * Measure how late a thread of this pod wakes up from a 1 ms sleep, at worst: when a
	 * notification is late, this tells a machine short of CPU from a slow delivery path.
	 */
	private void probeScheduling() {
		while (true) {
			long before = System.nanoTime();
			try {
				Thread.sleep(1);
			}
			catch (InterruptedException ex) {
				return;
			}
			long late = (System.nanoTime() - before) / 1000 - 1000;
			this.worstWakeUp.accumulateAndGet(late, Math::max);
		}
	}

	/**
	 * Run a pod.
	 * @param args the server's host and port, the key prefix and the instance id
	 * @throws Exception if the pod fails
	 */
	public static void main(String[] args) throws Exception {
		// The protocol has standard output to itself: whatever logs to System.out goes
		// to standard error.
		PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
		System.setOut(System.err);
		RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(args[0], Integer.parseInt(args[1]));
		LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(server,
				LettuceClientConfiguration.builder().commandTimeout(RedisConnections.COMMAND_TIMEOUT).build());
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		ExecutorService commands = Executors.newFixedThreadPool(4);
		try (NotifyingInstance instance = new NotifyingInstance(connectionFactory, args[2], args[3])) {
			CachePod pod = new CachePod(instance, protocol);
			pod.respond("ready", "0");
			BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			for (String line = in.readLine(); line != null; line = in.readLine()) {
				String[] command = line.split(" ");
				commands.execute(() -> pod.run(command));
			}
			commands.shutdown();
			commands.awaitTermination(10, TimeUnit.SECONDS);
		}
	}

	private void run(String[] command) {
		String request = command[1];
		try {
			switch (command[0]) {
				case "create" -> respond(request, Long.toString(create(UUID.fromString(command[2]))));
				case "hold" -> {
					UUID id = UUID.fromString(command[2]);
					this.instance.notifications().watch(id);
					respond(request, Long.toString(read(id).version()));
				}
				case "write" -> respond(request, write(UUID.fromString(command[2]), Long.parseLong(command[3])));
				case "read" -> {
					long started = epochMicros();
					Read read = read(UUID.fromString(command[2]));
					respond(request, read.version() + " " + (read.fromCopy() ? "copy" : "cache") + " " + started);
				}
				case "report" -> report(request);
				default -> throw new IllegalArgumentException("unknown command " + command[0]);
			}
		}
		catch (RuntimeException ex) {
			synchronized (this.out) {
				this.out.println("failed " + request + " " + ex);
				this.out.flush();
			}
		}
	}

	private long create(UUID id) {
		ConditionalWriteResult result = this.instance.cache()
			.writeIfVersion(id, 0, WorkspaceWrite.all(wholeWorkspace(id, "created")));
		if (!result.applied()) {
			throw new IllegalStateException("workspace " + id + " exists: " + result);
		}
		return result.version();
	}

	private String write(UUID id, long expected) {
		ConditionalWriteResult result = this.instance.cache()
			.writeIfVersion(id, expected, WorkspaceWrite.file("round.txt", modified("after version " + expected)));
		long returned = epochMicros();
		return (result.applied() ? 1 : 0) + " " + result.version() + " " + returned;
	}

	/**
	 * Serve a workspace from the copy, or read it from the cache when there is none. The
	 * copy read from the cache is kept unless a newer version was announced meanwhile:
	 * the listener never waits for a read.
	 */
	private Read read(UUID id) {
		Long copy = this.copies.get(id);
		if (copy != null) {
			return new Read(copy, true);
		}
		long version = this.instance.cache()
			.recover(id)
			.map(CachedWorkspace::version)
			.orElseThrow(() -> new IllegalStateException("workspace " + id + " is not cached"));
		this.copies.put(id, version);
		if (this.announced.getOrDefault(id, 0L) > version) {
			this.copies.remove(id, version);
		}
		return new Read(version, false);
	}

	@Override
	public void onWorkspaceChange(WorkspaceChange change) {
		this.announced.merge(change.workspaceId(), change.version(), Math::max);
		this.copies.computeIfPresent(change.workspaceId(),
				(id, version) -> (version < change.version()) ? null : version);
		// Taken once the copy is dropped: a read that starts later cannot serve it.
		long at = epochMicros();
		this.heard.add(change.workspaceId() + " " + change.version() + " " + change.origin() + " " + at);
	}

	@Override
	public void onResynchronize(String reason) {
		this.resynchronizations.incrementAndGet();
		this.copies.clear();
	}

	private void report(String request) {
		List<String> changes = List.copyOf(this.heard);
		synchronized (this.out) {
			for (String change : changes) {
				this.out.println("heard " + change);
			}
			this.out.println("ok " + request + " " + changes.size() + " " + this.resynchronizations.get() + " "
					+ this.worstWakeUp.get());
			this.out.flush();
		}
	}

	private void respond(String request, String answer) {
		synchronized (this.out) {
			this.out.println("ok " + request + " " + answer);
			this.out.flush();
		}
	}

	static long epochMicros() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
	}

	private record Read(long version, boolean fromCopy) {
	}

}
