// SHA-256 throughput of this JVM with its options: java $OPTS bench/hash/HashSpeed.java <update KiB> (1 GiB hashed).
import java.security.MessageDigest;
public class HashSpeed {
    public static void main(String[] a) throws Exception {
        byte[] buf = new byte[Integer.parseInt(a[0]) * 1024];
        new java.util.Random(1).nextBytes(buf);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        long total = 1024L * 1024 * 1024, done = 0, t0 = System.nanoTime();
        while (done < total) { md.update(buf); done += buf.length; }
        md.digest();
        System.out.printf("%.0f MB/s%n", total / 1e6 / ((System.nanoTime() - t0) / 1e9));
    }
}
