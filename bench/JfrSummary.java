import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU time went in a JFR recording, for BENCHMARKS.md: the hottest methods by own
 * samples (top frame), the hottest by inclusive samples, and the share of each area of the code.
 * Run as a single-file program: {@code java bench/JfrSummary.java FILE.jfr [TOP]}.
 */
public final class JfrSummary {

  /** Areas, matched in order against every frame of a sample from the top: the first match wins. */
  private static final String[][] AREAS = {
    {"H2 database", "org.h2."},
    {"PostgreSQL driver", "org.postgresql."},
    {"HikariCP", "com.zaxxer."},
    {"SMTP (Angus/Jakarta Mail)", "org.eclipse.angus.", "jakarta.mail.", "com.sun.mail."},
    {"templates (jmustache)", "com.samskivert."},
    {"JSON (Jackson)", "com.fasterxml."},
    {"logging (logback/slf4j)", "ch.qos.logback.", "org.slf4j."},
    {"metrics (micrometer)", "io.micrometer."},
    {"crypto (JCA)", "com.sun.crypto.", "sun.security.", "javax.crypto.", "java.security."},
    {"HTTP (Jetty/Javalin)", "org.eclipse.jetty.", "io.javalin."},
    {"OTPGate", "io.otpgate."},
  };

  public static void main(String[] args) throws IOException {
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 12;
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> areas = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    Map<String, Double> waits = new HashMap<>();
    int samples = 0;
    int threadStarts = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      String type = e.getEventType().getName();
      if (type.equals("jdk.ThreadStart")) {
        threadStarts++;
        continue;
      }
      if (WAITS.contains(type)) {
        if (e.getStackTrace() != null) {
          String where = type.substring(4) + " in " + firstOutsideJdk(e.getStackTrace().getFrames());
          waits.merge(where, e.getDuration().toNanos() / 1e6, Double::sum);
        }
        continue;
      }
      if (!type.equals("jdk.ExecutionSample")) {
        continue;
      }
      RecordedStackTrace stack = e.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      samples++;
      String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
      threads.merge(thread == null ? "?" : thread.replaceAll("[0-9]+", "N"), 1, Integer::sum);
      List<RecordedFrame> frames = stack.getFrames();
      self.merge(name(frames.get(0)), 1, Integer::sum);
      List<String> seen = new ArrayList<>();
      for (RecordedFrame f : frames) {
        String n = name(f);
        if (!seen.contains(n)) {
          seen.add(n);
          inclusive.merge(n, 1, Integer::sum);
        }
      }
      areas.merge(area(frames), 1, Integer::sum);
    }
    System.out.printf("%d CPU samples, %d threads started%n", samples, threadStarts);
    print("by area (first matching frame from the top of the stack)", areas, samples, top);
    print("hottest methods, own time", self, samples, top);
    print("hottest io.otpgate methods, inclusive", filter(inclusive, "io.otpgate."), samples, top);
    print("threads sampled", threads, samples, 6);
    System.out.println("  time threads spent blocked (events over the recording's threshold), by caller:");
    waits.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(top)
        .forEach(e -> System.out.printf("    %9.0f ms  %s%n", e.getValue(), e.getKey()));
  }

  private static final java.util.Set<String> WAITS = java.util.Set.of(
      "jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait", "jdk.ThreadSleep",
      "jdk.SocketRead", "jdk.SocketWrite", "jdk.FileRead", "jdk.FileWrite", "jdk.FileForce");

  /** The first frame that is not the JDK's own: the code that asked to wait. */
  private static String firstOutsideJdk(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String type = f.getMethod().getType().getName();
      if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
        return name(f) + ":" + f.getLineNumber();
      }
    }
    return frames.isEmpty() ? "?" : name(frames.get(0));
  }

  private static Map<String, Integer> filter(Map<String, Integer> m, String prefix) {
    Map<String, Integer> out = new HashMap<>();
    m.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k, v);
      }
    });
    return out;
  }

  private static String area(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String type = f.getMethod().getType().getName();
      for (String[] area : AREAS) {
        for (int i = 1; i < area.length; i++) {
          if (type.startsWith(area[i])) {
            return area[0];
          }
        }
      }
    }
    return "JDK and other";
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static void print(String title, Map<String, Integer> counts, int total, int top) {
    System.out.println("  " + title + ":");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(top)
        .forEach(e -> System.out.printf("    %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
  }
}
