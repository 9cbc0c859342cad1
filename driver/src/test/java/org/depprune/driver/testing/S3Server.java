package org.depprune.driver.testing;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.TransientApiMetadata;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3-compatible server in the test JVM (S3Proxy over jclouds' in-memory {@code transient}
 * store), on 127.0.0.1 at a free port, with one empty bucket; and the settings that point Hadoop's
 * S3A connector ({@code s3a://}) at it. Nothing leaves the machine and nothing is written to disk.
 *
 * <pre>{@code
 * try (S3Server s3 = new S3Server("results")) {
 *   s3.configure(spark);                      // or s3.configure(hadoopConf)
 *   df.write().parquet(s3.uri("data/train.parquet"));
 * }
 * }</pre>
 */
public final class S3Server implements AutoCloseable {
  private static final String ACCESS_KEY = "depprune-test-access";
  private static final String SECRET_KEY = "depprune-test-secret";

  private final String bucket;
  private final BlobStoreContext store;
  private final S3Proxy proxy;

  /**
   * Starts a server holding one empty bucket called {@code bucket}. Give each test class its own
   * bucket name: Hadoop caches one S3A file system per bucket and JVM, with the endpoint it was
   * created with ({@link #close} drops it from that cache).
   */
  public S3Server(String bucket) throws Exception {
    this.bucket = bucket;
    store = ContextBuilder.newBuilder(new TransientApiMetadata())
        .credentials(ACCESS_KEY, SECRET_KEY)
        .build(BlobStoreContext.class);
    proxy = S3Proxy.builder()
        .blobStore(store.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    try {
      proxy.start();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("S3Proxy did not start in 10 s: " + proxy.getState());
        }
        Thread.sleep(10);
      }
      store.getBlobStore().createContainerInLocation(null, bucket);
    } catch (Exception | Error e) {
      proxy.stop();
      store.close();
      throw e;
    }
  }

  public String bucket() {
    return bucket;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  /** {@code s3a://<bucket>/<key>}. */
  public String uri(String key) {
    return "s3a://" + bucket + "/" + key;
  }

  /**
   * The Hadoop settings for {@code s3a://} against this server: its endpoint over plain HTTP, a
   * signing region (otherwise guessed from the host name), path-style addressing (no
   * {@code <bucket>.127.0.0.1} host names), and its fixed keys. S3A's defaults do for the rest:
   * S3Proxy returns ETags, so change detection stays on, and Spark's default file committer
   * (rename-based, which S3A does as copy and delete) writes Parquet.
   */
  public Map<String, String> hadoopSettings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("fs.s3a.endpoint", endpoint());
    s.put("fs.s3a.endpoint.region", "us-east-1");
    s.put("fs.s3a.path.style.access", "true");
    s.put("fs.s3a.connection.ssl.enabled", "false");
    s.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    s.put("fs.s3a.access.key", ACCESS_KEY);
    s.put("fs.s3a.secret.key", SECRET_KEY);
    // A request the server refuses fails the test at once, not after S3A's and the SDK's retries.
    s.put("fs.s3a.attempts.maximum", "1");
    s.put("fs.s3a.retry.limit", "1");
    return s;
  }

  /**
   * The same settings with Spark's {@code spark.hadoop.} prefix, for a session built after the
   * server started ({@code SparkSession.builder().config(...)}, as {@code --conf} on a cluster):
   * Spark copies them into every Hadoop configuration it makes, the executors' included.
   */
  public Map<String, String> sparkSettings() {
    Map<String, String> s = new LinkedHashMap<>();
    hadoopSettings().forEach((k, v) -> s.put("spark.hadoop." + k, v));
    return s;
  }

  /** Adds {@link #hadoopSettings} to {@code conf} and returns it. */
  public Configuration configure(Configuration conf) {
    hadoopSettings().forEach(conf::set);
    return conf;
  }

  /**
   * Adds {@link #hadoopSettings} to a running session's Hadoop configuration, which Spark ships
   * with every job (Parquet reads and writes, {@code SerializableConfiguration} broadcasts), so the
   * tasks of a {@code local[n]} session see them too.
   */
  public void configure(SparkSession spark) {
    configure(spark.sparkContext().hadoopConfiguration());
  }

  /** Stops the server, and drops this bucket's cached S3A file system (bound to this port). */
  @Override
  public void close() throws IOException {
    try {
      FileSystem.get(URI.create("s3a://" + bucket + "/"), configure(new Configuration())).close();
    } catch (IOException e) {
      // It could not close cleanly; it is out of the cache all the same.
    } finally {
      try {
        proxy.stop();
      } catch (Exception e) {
        throw new IOException("S3Proxy did not stop", e);
      } finally {
        store.close();
      }
    }
  }
}
