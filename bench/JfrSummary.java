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
 *
 * <p>The execution samples see only threads running Java code. Threads in native code (SQLite's
 * engine, fsync, sockets) are counted apart, from JFR's native method samples. The JIT compilers
 * and the garbage collector are in neither, and in a short run they can take a third of the CPU,
 * so their shares are printed first, from the JVM's own CPU accounting ({@code jdk.CPULoad} for
 * the process, {@code jdk.ThreadCPULoad} for each thread).
 */
public final class JfrSummary {

  /** Areas, matched in order against every frame of a sample from the top: the first match wins. */
  private static final String[][] AREAS = {
    {"SQLite (driver and engine)", "org.sqlite."},
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
    Map<String, Integer> natives = new HashMap<>();
    int nativeSamples = 0;
    List<RecordedEvent> events = RecordingFile.readAllEvents(Path.of(args[0]));
    CpuTime cpu = new CpuTime(events);
    int samples = 0;
    int threadStarts = 0;
    for (RecordedEvent e : events) {
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
      if (type.equals("jdk.NativeMethodSample")) {
        RecordedStackTrace nativeStack = e.getStackTrace();
        if (nativeStack != null && !nativeStack.getFrames().isEmpty()) {
          nativeSamples++;
          natives.merge(name(nativeStack.getFrames().get(0)), 1, Integer::sum);
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
    cpu.print();
    System.out.printf("%d CPU samples, %d threads started%n", samples, threadStarts);
    print("by area (first matching frame from the top of the stack)", areas, samples, top);
    print("hottest methods, own time", self, samples, top);
    print("hottest io.otpgate methods, inclusive", filter(inclusive, "io.otpgate."), samples, top);
    print("threads sampled", threads, samples, 6);
    // SQLite runs in native code, where the execution samples above do not see it: JFR samples
    // threads in native methods apart. Such a thread may be computing or waiting (an fsync, a
    // socket), so these are not CPU.
    System.out.printf("%d native method samples (running or blocked in native code)%n", nativeSamples);
    print("native methods, by the Java method that called into native code", natives, nativeSamples, top);
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

  /**
   * CPU seconds of the process and of its threads, from the JVM's periodic load events. A load is
   * a share of the whole machine since the JVM last measured that thread (or the process). The
   * first event of each has no known start (the thread's start, or an earlier measurement before
   * the recording began), so only the stretches between two events count, for the process and for
   * the threads alike.
   */
  private static final class CpuTime {
    private int hardwareThreads = 1;
    private double process;
    private double jit;
    private double javaCode;
    private final Map<Long, java.time.Instant> previous = new HashMap<>();
    private java.time.Instant processPrevious;

    CpuTime(List<RecordedEvent> events) {
      events.stream()
          .filter(e -> e.getEventType().getName().equals("jdk.CPUInformation"))
          .forEach(e -> hardwareThreads = e.getInt("hwThreads"));
      events.stream()
          .filter(e -> e.getEventType().getName().endsWith("CPULoad"))
          .sorted(java.util.Comparator.comparing(RecordedEvent::getStartTime))
          .forEach(this::add);
    }

    private void add(RecordedEvent e) {
      if (e.getEventType().getName().equals("jdk.CPULoad")) {
        process += seconds(processPrevious, e, e.getFloat("jvmUser") + e.getFloat("jvmSystem"));
        processPrevious = e.getStartTime();
        return;
      }
      jdk.jfr.consumer.RecordedThread thread = e.getThread("eventThread");
      if (thread == null) {
        return;
      }
      double seconds = seconds(previous.put(thread.getJavaThreadId(), e.getStartTime()), e,
          e.getFloat("user") + e.getFloat("system"));
      if (thread.getJavaName() != null && thread.getJavaName().contains("CompilerThread")) {
        jit += seconds;
      } else {
        javaCode += seconds;
      }
    }

    private double seconds(java.time.Instant from, RecordedEvent e, double load) {
      return from == null
          ? 0
          : load * hardwareThreads * java.time.Duration.between(from, e.getStartTime()).toNanos() / 1e9;
    }

    void print() {
      if (process <= 0 || jit + javaCode <= 0) {
        return; // too short for two events per thread (they come every 10 s unless set otherwise)
      }
      System.out.printf(
          "process CPU %.1f s: JIT compilers %.0f%%, Java threads %.0f%%, the rest (GC, VM threads) %.0f%%%n",
          process, 100 * jit / process, 100 * javaCode / process, 100 * Math.max(0, process - jit - javaCode) / process);
    }
  }
}
