import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * Local MongoDB-wire server for development and tests: mongo-java-server on its H2 file backend.
 *
 * Usage: java -cp lib/*:. MongoLauncher <host> <port> <h2-file> [worker-threads]
 *
 * Two behaviours the stock server lacks, both measured (see ARCHITECTURE.md):
 *  - durability with a GROUP COMMIT: H2's MVStore commits about once a second, so a kill -9
 *    loses acknowledged writes. A write is acknowledged only after a commit that started after
 *    it was applied; one commit covers every write that arrived while the previous one ran.
 *    Committing after every write kept everything but capped throughput at one commit per write.
 *  - namespace races: two commands creating the same collection at once can fail with
 *    "already existed in ... system.namespaces"; the command is retried once.
 *
 * handleCommand runs on Netty's worker threads and a write waits for its commit on its thread,
 * so the number of writes one commit can cover is bounded by the worker count: the server is
 * bound with an explicit, generous worker count (default 64) instead of Netty's 2 × cores.
 *
 * The process exits when its standard input closes, so it never outlives the Node process
 * that started it (Ctrl-C, crash or SIGKILL of the parent included).
 */
public final class MongoLauncher {

    private static final Set<String> WRITE_COMMANDS = Set.of(
        "insert", "update", "delete", "findandmodify", "create", "createindexes", "drop",
        "dropdatabase", "dropindexes", "renamecollection", "bulkwrite");

    private static final int DEFAULT_WORKERS = 64;

    /**
     * Group commit: writers take a ticket once their write is applied and wait until a commit
     * that started after that has finished. Whoever finds no commit running runs the next one
     * (outside the lock), covering every ticket issued so far; the others wait and are released
     * together. A failed commit releases nobody: the next waiter tries again.
     */
    static final class GroupCommit {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition finished = lock.newCondition();
        private final Runnable commit;
        private long issued;
        private long durable;
        private boolean running;
        private long commits;

        GroupCommit(Runnable commit) {
            this.commit = commit;
        }

        /** A ticket for a write that has just been applied. */
        long ticket() {
            lock.lock();
            try {
                return ++issued;
            } finally {
                lock.unlock();
            }
        }

        /** Returns once a commit covering `ticket` has finished. */
        void awaitDurable(long ticket) {
            lock.lock();
            try {
                while (durable < ticket) {
                    if (running) {
                        finished.awaitUninterruptibly();
                        continue;
                    }
                    running = true;
                    long covered = issued;
                    boolean ok = false;
                    lock.unlock();
                    try {
                        commit.run();
                        ok = true;
                    } finally {
                        lock.lock();
                        running = false;
                        if (ok) {
                            durable = Math.max(durable, covered);
                            commits++;
                        }
                        finished.signalAll();
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        /** Writes acknowledged and commits run so far (the `cinicGroupCommitStats` command). */
        Document stats() {
            lock.lock();
            try {
                return new Document("ok", 1.0).append("writes", durable).append("commits", commits);
            } finally {
                lock.unlock();
            }
        }
    }

    /** H2 backend that acknowledges a write only once it is committed, and retries namespace races once. */
    static final class DurableH2Backend extends H2Backend {
        private final GroupCommit group = new GroupCommit(this::commit);

        DurableH2Backend(String file) {
            super(file);
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            // Lets tests and the benchmark see that commits really cover several writes.
            if (command.equals("cinicGroupCommitStats")) {
                return group.stats();
            }
            Document response;
            try {
                response = super.handleCommand(channel, database, command, query);
            } catch (RuntimeException e) {
                if (!isNamespaceCollision(e)) {
                    throw e;
                }
                response = super.handleCommand(channel, database, command, query);
            }
            if (WRITE_COMMANDS.contains(command.toLowerCase(Locale.ROOT))) {
                group.awaitDurable(group.ticket());
            }
            return response;
        }

        private static boolean isNamespaceCollision(Throwable e) {
            String message = String.valueOf(e.getMessage());
            return message.contains("already existed") && message.contains("system.namespaces");
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 && args.length != 4) {
            System.err.println("usage: MongoLauncher <host> <port> <h2-file> [worker-threads]");
            System.exit(2);
        }
        int workers = args.length == 4 ? Integer.parseInt(args[3]) : DEFAULT_WORKERS;
        DurableH2Backend backend = new DurableH2Backend(args[2]);
        MongoServer server = new MongoServer(backend);
        server.bind(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 1, workers);
        System.out.println("ready " + args[0] + ":" + args[1] + " workers=" + workers);
        System.out.flush();

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdownNow();
        }));
        waitForStdinToClose(System.in);
        System.exit(0);
    }

    private static void waitForStdinToClose(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // Input is ignored; only its end matters.
            }
        } catch (IOException ignored) {
            // A broken pipe means the parent is gone, the same as end of input.
        }
    }
}
