package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.mapper.RowMapper;
import org.junit.jupiter.api.Test;

class SpecializedOnceTest {
    /** A result set that knows only its column labels, through the JDK's own proxies. */
    private static ResultSet withColumns(String... labels) {
        ResultSetMetaData meta = (ResultSetMetaData) Proxy.newProxyInstance(SpecializedOnceTest.class.getClassLoader(),
                new Class<?>[] {ResultSetMetaData.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getColumnCount" -> labels.length;
                    case "getColumnLabel" -> labels[(Integer) args[0] - 1];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (ResultSet) Proxy.newProxyInstance(SpecializedOnceTest.class.getClassLoader(), new Class<?>[] {ResultSet.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getMetaData")) {
                        return meta;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private final AtomicInteger specialized = new AtomicInteger();
    private final RowMapper<String> delegate = new RowMapper<>() {
        @Override
        public String map(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) {
            return "row";
        }

        @Override
        public RowMapper<String> specialize(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) {
            specialized.incrementAndGet();
            return (r, c) -> "specialized";
        }
    };

    @Test
    void theSameColumnsAreMatchedOnce() throws Exception {
        SpecializedOnce<String> mapper = new SpecializedOnce<>(delegate);
        RowMapper<String> first = mapper.specialize(withColumns("id", "status"), null);
        RowMapper<String> second = mapper.specialize(withColumns("id", "status"), null);
        assertSame(first, second);
        assertEquals(1, specialized.get());
    }

    @Test
    void otherColumnsAreMatchedAfresh() throws Exception {
        SpecializedOnce<String> mapper = new SpecializedOnce<>(delegate);
        for (List<String> columns : List.of(List.of("id", "status"), List.of("status", "id"), List.of("id"))) {
            mapper.specialize(withColumns(columns.toArray(String[]::new)), null);
        }
        assertEquals(3, specialized.get(), "a column set, or order, of its own is matched on its own");
    }
}
