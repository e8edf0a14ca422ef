/**
 * MongoDB through mongoose 8. Connects with retry and exponential backoff at boot, then creates
 * every registered model's collection and indexes before the app serves (the local
 * mongo-java-server can race on concurrent collection creation; creating them up front avoids it).
 */
import mongoose from 'mongoose';
import { log } from './logger.js';

/** Options for `connectMongo`; defaults suit boot (about 30 s of retries). */
export interface ConnectOptions {
  uri: string;
  dbName: string;
  attempts?: number;
  initialDelayMs?: number;
}

/** Raised when MongoDB cannot be reached after every retry. */
export class DatabaseUnavailableError extends Error {}

function hostOf(uri: string): string {
  // Never log credentials: keep only the host list.
  return uri.replace(/^mongodb(\+srv)?:\/\/([^@/]*@)?/, '').split('/')[0] ?? 'unknown';
}

/** Connects the default mongoose connection, retrying with backoff, or throws a clear error. */
export async function connectMongo({
  uri,
  dbName,
  attempts = 8,
  initialDelayMs = 250,
}: ConnectOptions): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  let delay = initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await mongoose.connect(uri, { dbName, serverSelectionTimeoutMS: 3000, autoIndex: false, autoCreate: false });
      log().info({ host: hostOf(uri), dbName }, 'mongodb connected');
      return mongoose;
    } catch (error) {
      if (attempt >= attempts) {
        throw new DatabaseUnavailableError(
          `MongoDB at ${hostOf(uri)} is unreachable after ${attempts} attempts: ${(error as Error).message}`,
        );
      }
      log().warn({ attempt, retryInMs: delay, host: hostOf(uri) }, 'mongodb not reachable yet; retrying');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }
}

/** Creates every registered model's collection and indexes, one model at a time. */
export async function initModels(connection: mongoose.Connection = mongoose.connection): Promise<void> {
  for (const name of connection.modelNames()) {
    const model = connection.model(name);
    await model.createCollection().catch((error: { codeName?: string; code?: number }) => {
      if (error.codeName !== 'NamespaceExists' && error.code !== 48) throw error;
    });
    await model.createIndexes();
  }
}

/** True when the connection answers a ping (used by /readyz). */
export async function pingMongo(connection: mongoose.Connection = mongoose.connection): Promise<boolean> {
  if (connection.readyState !== 1 || !connection.db) return false;
  try {
    await connection.db.admin().command({ ping: 1 });
    return true;
  } catch {
    return false;
  }
}

/** Closes the default connection (graceful shutdown). */
export async function disconnectMongo(): Promise<void> {
  await mongoose.disconnect();
}
