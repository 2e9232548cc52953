import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.List;

public class Main {
    public static void main(String[] args) throws Exception {
        Files.createDirectories(Path.of("d/e"));
        for (String name : List.of("x.txt", "y.txt")) Files.writeString(Path.of("d", name), "hello\n");
        System.out.print(Files.readString(Path.of("d/x.txt")));
        System.out.println(Files.size(Path.of("d/x.txt")));
        try (var entries = Files.list(Path.of("d"))) {
            System.out.println(String.join(" ", entries.map(p -> p.getFileName().toString()).sorted().toList()));
        }
        System.out.println(Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.startsWith("Name:")));
        System.out.println(Year.now(ZoneOffset.UTC));
        Files.writeString(Path.of("/tmp/t"), "tmp ok");
        System.out.println(Files.readString(Path.of("/tmp/t")));
    }
}
