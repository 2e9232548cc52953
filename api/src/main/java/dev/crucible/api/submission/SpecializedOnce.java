package dev.crucible.api.submission;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * A row mapper that specializes its delegate once per set of columns, instead of once per query.
 * Jdbi's {@code ConstructorMapper} matches columns to constructor parameters by reflection every time
 * it is specialized, which was a third of the CPU of reading one submission; the store's queries
 * have fixed column lists, so the match can be kept. The specialized mapper holds only the column
 * positions and the column mappers of the one Jdbi configuration the store uses.
 */
final class SpecializedOnce<T> implements RowMapper<T> {
    private final RowMapper<T> delegate;
    private final ConcurrentMap<List<String>, RowMapper<T>> byColumns = new ConcurrentHashMap<>();

    SpecializedOnce(RowMapper<T> delegate) {
        this.delegate = delegate;
    }

    @Override
    public RowMapper<T> specialize(ResultSet rs, StatementContext ctx) throws SQLException {
        List<String> columns = columns(rs.getMetaData());
        RowMapper<T> known = byColumns.get(columns);
        if (known != null) {
            return known;
        }
        RowMapper<T> specialized = delegate.specialize(rs, ctx);
        RowMapper<T> raced = byColumns.putIfAbsent(columns, specialized);
        return raced != null ? raced : specialized;
    }

    @Override
    public T map(ResultSet rs, StatementContext ctx) throws SQLException {
        return specialize(rs, ctx).map(rs, ctx);
    }

    private static List<String> columns(ResultSetMetaData meta) throws SQLException {
        List<String> names = new ArrayList<>(meta.getColumnCount());
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            names.add(meta.getColumnLabel(i));
        }
        return names;
    }
}
