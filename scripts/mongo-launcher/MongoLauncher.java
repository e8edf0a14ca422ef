import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * Local MongoDB-wire server for development and tests: mongo-java-server on its H2 file backend.
 *
 * Usage: java -cp lib/*:. MongoLauncher <host> <port> <h2-file>
 *
 * Two behaviours the stock server lacks, both measured (see ARCHITECTURE.md):
 *  - durability: H2's MVStore commits about once a second, so a kill -9 loses acknowledged
 *    writes. We commit after every write command before the reply goes out.
 *  - namespace races: two commands creating the same collection at once can fail with
 *    "already existed in ... system.namespaces"; the command is retried once.
 *
 * The process exits when its standard input closes, so it never outlives the Node process
 * that started it (Ctrl-C, crash or SIGKILL of the parent included).
 */
public final class MongoLauncher {

    private static final Set<String> WRITE_COMMANDS = Set.of(
        "insert", "update", "delete", "findandmodify", "create", "createindexes", "drop",
        "dropdatabase", "dropindexes", "renamecollection", "bulkwrite");

    /** H2 backend that makes every acknowledged write durable and retries namespace races once. */
    static final class DurableH2Backend extends H2Backend {
        DurableH2Backend(String file) {
            super(file);
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
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
                synchronized (this) {
                    commit();
                }
            }
            return response;
        }

        private static boolean isNamespaceCollision(Throwable e) {
            String message = String.valueOf(e.getMessage());
            return message.contains("already existed") && message.contains("system.namespaces");
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: MongoLauncher <host> <port> <h2-file>");
            System.exit(2);
        }
        DurableH2Backend backend = new DurableH2Backend(args[2]);
        MongoServer server = new MongoServer(backend);
        server.bind(args[0], Integer.parseInt(args[1]));
        System.out.println("ready " + args[0] + ":" + args[1]);
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
