package dev.workspacecache.topology;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

/**
 * The least a Redis/Valkey ACL user needs to run the cache, as proved by
 * {@link AclContractIntegrationTests} (and, with {@link #CLUSTER_COMMANDS}, by
 * {@link ClusterContractIntegrationTests}); README's Production section quotes
 * {@link #rule(String, String)}.
 */
final class AclRules {

	/** The default {@code workspace.cache.key-prefix}. */
	static final String KEY_PREFIX = "workspace-cache:";

	/**
	 * What the cache runs: its reads ({@code HGET HKEYS HGETALL}), its scripts
	 * ({@code EVALSHA}, and {@code EVAL} when the server's script cache lacks one) and
	 * the commands those scripts call, which ACLs check as well
	 * ({@code HEXISTS HKEYS HSET HDEL PEXPIRE UNLINK}). The connection handshake
	 * ({@code HELLO ... AUTH}) needs no permission; Lettuce's {@code CLIENT SETINFO} may
	 * be refused without harm.
	 */
	static final List<String> COMMANDS = List.of("hget", "hkeys", "hgetall", "evalsha", "eval", "hexists", "hset",
			"hincrby", "hdel", "pexpire", "unlink", "spublish");

	/**
	 * What the change notifications' subscriber needs besides: subscribing to the
	 * workspaces' channels. Not a cache operation, so no operation fails without them.
	 */
	static final List<String> SUBSCRIBER_COMMANDS = List.of("ssubscribe", "sunsubscribe");

	/** What Lettuce's Redis Cluster client adds: reading the topology. */
	static final List<String> CLUSTER_COMMANDS = List.of("cluster|nodes");

	private AclRules() {
	}

	/**
	 * Return the ACL rule, as {@code ACL SETUSER <user> <rule>} takes it, that allows the
	 * given commands on the keys of the default prefix only.
	 * @param password the user's password
	 * @param commands the allowed commands
	 * @return the rule's tokens
	 */
	static List<String> tokens(String password, Collection<String> commands) {
		List<String> tokens = new ArrayList<>(List.of("reset", "on", ">" + password, "~" + KEY_PREFIX + "*",
				"resetchannels", "&" + KEY_PREFIX + "*", "-@all"));
		commands.forEach((command) -> tokens.add("+" + command));
		SUBSCRIBER_COMMANDS.forEach((command) -> tokens.add("+" + command));
		return tokens;
	}

	/**
	 * Return the minimal rule as one line for a standalone or Sentinel-managed server.
	 * @param user the user name
	 * @param password the password placeholder
	 * @return {@code ACL SETUSER ...}
	 */
	static String rule(String user, String password) {
		return "ACL SETUSER " + user + " " + String.join(" ", tokens(password, COMMANDS));
	}

	/**
	 * Create or replace a user on one server.
	 * @param admin a connection allowed to run {@code ACL SETUSER}
	 * @param user the user name
	 * @param tokens the rule
	 */
	static void setUser(RedisCommands<String, String> admin, String user, List<String> tokens) {
		CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(user);
		tokens.forEach(args::add);
		admin.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args);
	}

}
