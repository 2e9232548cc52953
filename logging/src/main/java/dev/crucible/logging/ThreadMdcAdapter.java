package dev.crucible.logging;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.spi.MDCAdapter;

/**
 * MDC entries of the current thread only. Unlike SLF4J's {@code BasicMDCAdapter}, a thread started
 * while entries are set does not inherit them: a pool thread that happens to be created during one
 * submission's work (a connection-pool filler, say) would otherwise name that submission on every
 * line it writes for the rest of its life.
 */
final class ThreadMdcAdapter implements MDCAdapter {
    private final ThreadLocal<Map<String, String>> entries = ThreadLocal.withInitial(HashMap::new);
    private final ThreadLocal<Map<String, Deque<String>>> stacks = ThreadLocal.withInitial(HashMap::new);

    @Override
    public void put(String key, String value) {
        entries.get().put(key, value);
    }

    @Override
    public String get(String key) {
        return entries.get().get(key);
    }

    @Override
    public void remove(String key) {
        entries.get().remove(key);
    }

    @Override
    public void clear() {
        entries.remove();
    }

    @Override
    public Map<String, String> getCopyOfContextMap() {
        return new HashMap<>(entries.get());
    }

    @Override
    public void setContextMap(Map<String, String> contextMap) {
        entries.set(new HashMap<>(contextMap));
    }

    @Override
    public void pushByKey(String key, String value) {
        stacks.get().computeIfAbsent(key, k -> new ArrayDeque<>()).push(value);
    }

    @Override
    public String popByKey(String key) {
        Deque<String> stack = stacks.get().get(key);
        return stack == null ? null : stack.poll();
    }

    @Override
    public Deque<String> getCopyOfDequeByKey(String key) {
        Deque<String> stack = stacks.get().get(key);
        return stack == null ? null : new ArrayDeque<>(stack);
    }

    @Override
    public void clearDequeByKey(String key) {
        Deque<String> stack = stacks.get().get(key);
        if (stack != null) {
            stack.clear();
        }
    }
}
