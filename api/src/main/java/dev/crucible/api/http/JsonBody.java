package dev.crucible.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.sun.net.httpserver.HttpExchange;
import dev.crucible.api.model.FieldError;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads a request body as JSON into a generated model: media type, size and UTF-8 checked first. */
public final class JsonBody {
    private static final long DRAIN_BYTES = 16L << 20;
    private final ObjectMapper mapper;
    private final int maxBytes;
    private final Set<String> mediaTypes;

    public JsonBody(ObjectMapper mapper, int maxBytes) {
        this(mapper, maxBytes, Set.of("application/json"));
    }

    private JsonBody(ObjectMapper mapper, int maxBytes, Set<String> mediaTypes) {
        this.mapper = mapper;
        this.maxBytes = maxBytes;
        this.mediaTypes = Set.copyOf(mediaTypes);
    }

    /**
     * The same reader, taking a JSON body sent under {@code mediaType} as well: for a route whose
     * clients cannot be changed and label JSON otherwise. The body is still parsed as strictly.
     */
    public JsonBody alsoAccepting(String mediaType) {
        Set<String> more = new HashSet<>(mediaTypes);
        more.add(mediaType.toLowerCase(Locale.ROOT));
        return new JsonBody(mapper, maxBytes, more);
    }

    public <T> T read(HttpExchange exchange, Class<T> type) {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !mediaTypes.contains(contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim())) {
            throw new ApiException.UnsupportedMediaType("send the body as application/json, not " + contentType);
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                // A client that is still sending never reads an early answer (it sees a reset): take
                // a bounded amount more so that it can, then close the connection.
                drain(in, DRAIN_BYTES);
                exchange.getResponseHeaders().set("Connection", "close");
                throw new ApiException.PayloadTooLarge("the body is larger than " + maxBytes + " bytes");
            }
        } catch (IOException e) {
            // The JDK's server says so when the body ends before its Content-Length or a chunk is
            // broken: the client's framing is wrong, and the connection cannot be reused.
            exchange.getResponseHeaders().set("Connection", "close");
            throw new ApiException.MalformedJson("the body could not be read whole: " + e.getMessage(), e);
        }
        String text = StrictUtf8.decode(body)
                .orElseThrow(() -> new ApiException.MalformedJson("the body is not valid UTF-8", null));
        try {
            T value = mapper.readValue(text, type);
            if (value == null) {
                throw new ApiException.MalformedJson("the body is JSON null; send an object", null);
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new ApiException.InvalidRequest(List.of(new FieldError(path(e), "is not a known field")));
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty()) {
                throw new ApiException.MalformedJson("the body must be a JSON object: " + e.getOriginalMessage(), e);
            }
            throw new ApiException.InvalidRequest(List.of(new FieldError(path(e), "has the wrong type or is missing")));
        } catch (JsonMappingException e) {
            // A creator-built object wraps what the parser found inside it (a key given twice)
            // with the path: it is still the text that is wrong, not a field's value.
            if (e.getPath().isEmpty() || e.getCause() instanceof StreamReadException) {
                throw new ApiException.MalformedJson("the body is not valid JSON: " + e.getOriginalMessage(), e);
            }
            throw new ApiException.InvalidRequest(List.of(new FieldError(path(e), "is not a valid value")));
        } catch (JsonProcessingException e) {
            throw new ApiException.MalformedJson("the body is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void drain(InputStream in, long limit) throws IOException {
        byte[] buffer = new byte[16 << 10];
        for (long left = limit; left > 0; ) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                return;
            }
            left -= read;
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
