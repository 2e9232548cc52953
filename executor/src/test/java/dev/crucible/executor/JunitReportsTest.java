package dev.crucible.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.executor.JunitReports.Parsed;
import dev.crucible.queue.ExecutionEvent.TestCaseOutcome;
import dev.crucible.queue.ExecutionEvent.TestCaseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JunitReportsTest {
    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Parsed parse(String report) {
        return JunitReports.parse(new TreeMap<>(Map.of("report.xml", utf8(report))));
    }

    private static String suite(String cases) {
        return "<testsuite name=\"s\">" + cases + "</testsuite>";
    }

    private static TestCaseOutcome only(String report) {
        return parse(report).cases().getFirst();
    }

    private static String failureText(String text) {
        return suite("<testcase name=\"t\"><failure>" + text + "</failure></testcase>");
    }

    private static Long timeOf(String seconds) {
        return only(suite("<testcase name=\"t\" time=\"" + seconds + "\"/>")).timeMs();
    }

    private static String cases(String prefix, int count) {
        StringBuilder cases = new StringBuilder();
        for (int i = 0; i < count; i++) {
            cases.append("<testcase name=\"").append(prefix).append(i).append("\"/>");
        }
        return suite(cases.toString());
    }

    @Test
    void readsPytestReport() {
        // As pytest 7 writes it with --junitxml: one line, a testsuites root holding one suite.
        String report = """
                <?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="0" failures="1" \
                skipped="1" tests="3" time="0.052" timestamp="2024-03-01T10:15:30.123456" hostname="sandbox">\
                <testcase classname="tests.test_calc" name="test_add" time="0.001" />\
                <testcase classname="tests.test_calc" name="test_divide[1-0]" time="0.003">\
                <failure message="assert 0 == 1&#10; +  where 0 = divide(1, 0)">a = 1, b = 0

                    @pytest.mark.parametrize("a,b", [(1, 0)])
                    def test_divide(a, b):
                &gt;       assert divide(a, b) == 1
                E       assert 0 == 1
                E        +  where 0 = divide(1, 0)

                tests/test_calc.py:9: AssertionError</failure></testcase>\
                <testcase classname="tests.test_calc" name="test_slow" time="0.000">\
                <skipped type="pytest.skip" message="too slow here">tests/test_calc.py:12: too slow here</skipped>\
                </testcase></testsuite></testsuites>""";
        assertEquals(List.of(
                        new TestCaseOutcome("test_add", "tests.test_calc", TestCaseStatus.PASSED, 1L, null),
                        new TestCaseOutcome("test_divide[1-0]", "tests.test_calc", TestCaseStatus.FAILED, 3L,
                                "assert 0 == 1\n +  where 0 = divide(1, 0)"),
                        new TestCaseOutcome("test_slow", "tests.test_calc", TestCaseStatus.SKIPPED, 0L, "too slow here")),
                parse(report).cases());
    }

    @Test
    void readsSurefireReport() {
        String report = """
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
                xsi:noNamespaceSchemaLocation="https://maven.apache.org/surefire/maven-surefire-plugin/xsd/surefire-test-report-3.0.xsd" \
                version="3.0" name="com.example.CalculatorTest" time="0.061" tests="2" errors="1" skipped="0" failures="0">
                  <properties>
                    <property name="java.version" value="21.0.2"/>
                  </properties>
                  <testcase name="adds" classname="com.example.CalculatorTest" time="0.004"/>
                  <testcase name="divides" classname="com.example.CalculatorTest" time="0.011">
                    <error message="/ by zero" type="java.lang.ArithmeticException"><![CDATA[java.lang.ArithmeticException: / by zero
                	at com.example.Calculator.divide(Calculator.java:9)
                ]]></error>
                    <system-out><![CDATA[dividing
                ]]></system-out>
                  </testcase>
                </testsuite>
                """;
        assertEquals(List.of(
                        new TestCaseOutcome("adds", "com.example.CalculatorTest", TestCaseStatus.PASSED, 4L, null),
                        new TestCaseOutcome("divides", "com.example.CalculatorTest", TestCaseStatus.ERROR, 11L, "/ by zero")),
                parse(report).cases());
    }

    @Test
    void readsNestedSuites() {
        String report = """
                <testsuites>
                  <testsuite name="outer">
                    <testcase name="first"/>
                    <testsuite name="inner"><testcase name="second"/></testsuite>
                    <testcase name="third"/>
                  </testsuite>
                  <testsuite name="next"><testcase name="fourth"/></testsuite>
                </testsuites>""";
        assertEquals(List.of("first", "second", "third", "fourth"),
                parse(report).cases().stream().map(TestCaseOutcome::name).toList());
    }

    @Test
    void failureErrorAndSkippedStatuses() {
        String report = suite("""
                <testcase name="a"><failure message="m"/></testcase>
                <testcase name="b"><error message="m"/></testcase>
                <testcase name="c"><skipped/></testcase>
                <testcase name="d"><system-out>fine</system-out></testcase>""");
        assertEquals(List.of(TestCaseStatus.FAILED, TestCaseStatus.ERROR, TestCaseStatus.SKIPPED, TestCaseStatus.PASSED),
                parse(report).cases().stream().map(TestCaseOutcome::status).toList());
    }

    @Test
    void firstStatusChildDecides() {
        String report = suite("<testcase name=\"t\"><failure message=\"in call\"/><error message=\"in teardown\"/></testcase>");
        assertEquals(new TestCaseOutcome("t", null, TestCaseStatus.FAILED, null, "in call"), only(report));
    }

    @Test
    void passedCaseHasNoMessage() {
        assertNull(only(suite("<testcase name=\"t\"><system-out>said things</system-out></testcase>")).message());
    }

    @Test
    void messageFromAttributeElseText() {
        String report = suite("""
                <testcase name="a"><failure message=" from attribute ">from text</failure></testcase>
                <testcase name="b"><failure message="  ">
                  from text, <![CDATA[with <cdata>]]> &amp; escapes
                </failure></testcase>
                <testcase name="c"><failure/></testcase>""");
        assertEquals(Arrays.asList("from attribute", "from text, with <cdata> & escapes", null),
                parse(report).cases().stream().map(TestCaseOutcome::message).toList());
    }

    @Test
    void cutsLongMessages() {
        assertEquals("x".repeat(JunitReports.MESSAGE_CHARS), only(failureText("x".repeat(100_000))).message());
    }

    @Test
    void cutsLongAttributeMessages() {
        String report = suite("<testcase name=\"t\"><error message=\"" + "y".repeat(100_000) + "\"/></testcase>");
        assertEquals("y".repeat(JunitReports.MESSAGE_CHARS), only(report).message());
    }

    @Test
    void cutsWithoutSplittingSurrogatePairs() {
        // After the "a", each pair starts at an odd index, so the last char kept would be a pair's first half.
        String emoji = "\uD83D\uDE00";
        String message = only(failureText("a" + emoji.repeat(JunitReports.MESSAGE_CHARS))).message();
        assertEquals("a" + emoji.repeat(JunitReports.MESSAGE_CHARS / 2 - 1), message);
    }

    @Test
    void leadingWhitespaceDoesNotUseUpTheMessage() {
        assertEquals("boom", only(failureText("\n".repeat(100_000) + "boom")).message());
    }

    @Test
    void cutsLongNames() {
        String report = suite("<testcase name=\"" + "n".repeat(10_000) + "\" classname=\"" + "c".repeat(10_000) + "\"/>");
        TestCaseOutcome testCase = only(report);
        assertEquals(List.of("n".repeat(JunitReports.NAME_CHARS), "c".repeat(JunitReports.NAME_CHARS)),
                List.of(testCase.name(), testCase.classname()));
    }

    @Test
    void caseWithoutNameIsUnnamed() {
        assertEquals(List.of(JunitReports.UNNAMED, JunitReports.UNNAMED),
                parse(suite("<testcase classname=\"c\"/><testcase name=\"\"/>")).cases().stream()
                        .map(TestCaseOutcome::name).toList());
    }

    @Test
    void caseWithoutClassnameHasNone() {
        assertNull(only(suite("<testcase name=\"t\"/>")).classname());
    }

    @Test
    void timeInMilliseconds() {
        assertEquals(List.of(1234L, 2000L, 0L, 15_000L, 2L, 864_000_000L),
                List.of(timeOf("1.234"), timeOf("2"), timeOf("0.0004"), timeOf("1.5e1"), timeOf(" 0.0016 "), timeOf("864000")));
    }

    @Test
    void badTimeIsNull() {
        List<String> bad = List.of("", "soon", "-1", "NaN", "Infinity", "1e999", "0x1p3", "2d", "1,5", "864000.001");
        assertEquals(bad.stream().map(seconds -> (Long) null).toList(), bad.stream().map(JunitReportsTest::timeOf).toList());
    }

    @Test
    void absentTimeIsNull() {
        assertNull(only(suite("<testcase name=\"t\"/>")).timeMs());
    }

    @Test
    void malformedReportIsUnreadableOthersStillCount() {
        SortedMap<String, byte[]> reports = new TreeMap<>();
        reports.put("a.xml", utf8(suite("<testcase name=\"good\"/>")));
        // Breaks off after a whole case, which must not count either.
        reports.put("b.xml", utf8("<testsuite><testcase name=\"lost\"/><testcase name=\"cut"));
        assertEquals(new Parsed(List.of(new TestCaseOutcome("good", null, TestCaseStatus.PASSED, null, null)), List.of("b.xml"), false),
                JunitReports.parse(reports));
    }

    @Test
    void nonJunitRootIsUnreadable() {
        assertEquals(new Parsed(List.of(), List.of("report.xml"), false), parse("<html><testcase name=\"t\"/></html>"));
    }

    @Test
    void emptyReportIsUnreadable() {
        assertEquals(new Parsed(List.of(), List.of("report.xml"), false), parse(""));
    }

    @Test
    void neverResolvesExternalEntities(@TempDir Path dir) throws IOException {
        String marker = "marker-" + UUID.randomUUID();
        Path secret = Files.writeString(dir.resolve("secret.txt"), marker);
        String doctype = "<!DOCTYPE testsuite [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>";
        SortedMap<String, byte[]> reports = new TreeMap<>();
        reports.put("in-attribute.xml", utf8(doctype + suite("<testcase name=\"&xxe;\"><failure message=\"&xxe;\"/></testcase>")));
        reports.put("in-text.xml", utf8(doctype + failureText("&xxe;")));
        assertFalse(JunitReports.parse(reports).toString().contains(marker));
    }

    @Test
    void neverLoadsAnExternalDtd(@TempDir Path dir) throws IOException {
        String marker = "marker-" + UUID.randomUUID();
        Path dtd = Files.writeString(dir.resolve("report.dtd"), "<!ENTITY from-dtd \"" + marker + "\">");
        String report = "<!DOCTYPE testsuite SYSTEM \"" + dtd.toUri() + "\">" + failureText("&from-dtd;");
        assertFalse(parse(report).toString().contains(marker));
    }

    @Test
    void neverExpandsInternalEntities() {
        // Small enough to pass the JDK's own expansion limits, so only the parser's settings keep it out.
        String report = "<!DOCTYPE testsuite [<!ENTITY a \"lol\"><!ENTITY b \"&a;&a;\">]>" + failureText("&b;");
        assertFalse(parse(report).toString().contains("lol"));
    }

    @Test
    void doesNotExpandEntityBombs() {
        StringBuilder doctype = new StringBuilder("<!DOCTYPE testsuite [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            doctype.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        String report = doctype + "]>" + suite("<testcase name=\"t\"><failure>&lol9;</failure></testcase>");
        Parsed parsed = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> parse(report));
        assertFalse(parsed.toString().contains("lollol"));
    }

    @Test
    void keepsAtMostMaxCases() {
        assertEquals(JunitReports.MAX_CASES, parse(cases("t", JunitReports.MAX_CASES + 1)).cases().size());
    }

    @Test
    void saysWhenCasesWereDropped() {
        assertTrue(parse(cases("t", JunitReports.MAX_CASES + 1)).truncated());
    }

    @Test
    void exactlyMaxCasesIsNotTruncated() {
        assertFalse(parse(cases("t", JunitReports.MAX_CASES)).truncated());
    }

    @Test
    void capCountsCasesOfAllReports() {
        SortedMap<String, byte[]> reports = new TreeMap<>();
        reports.put("a.xml", utf8(cases("a", JunitReports.MAX_CASES - 1)));
        reports.put("b.xml", utf8(cases("b", 2)));
        assertEquals("b0", JunitReports.parse(reports).cases().getLast().name());
    }

    @Test
    void ordersByReportPath() {
        SortedMap<String, byte[]> reports = new TreeMap<>();
        reports.put("z/TEST-later.xml", utf8(suite("<testcase name=\"later\"/>")));
        reports.put("a/TEST-earlier.xml", utf8(suite("<testcase name=\"earlier\"/>")));
        assertEquals(List.of("earlier", "later"),
                JunitReports.parse(reports).cases().stream().map(TestCaseOutcome::name).toList());
    }
}
