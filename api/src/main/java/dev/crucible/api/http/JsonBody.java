package dev.crucible.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.sun.net.httpserver.HttpExchange;
import dev.crucible.api.model.FieldError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Reads a request body as JSON into a generated model: media type, size and UTF-8 checked first. */
public final class JsonBody {
    private final ObjectMapper mapper;
    private final int maxBytes;

    public JsonBody(ObjectMapper mapper, int maxBytes) {
        this.mapper = mapper;
        this.maxBytes = maxBytes;
    }

    public <T> T read(HttpExchange exchange, Class<T> type) {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim().equals("application/json")) {
            throw new ApiException.UnsupportedMediaType("send the body as application/json, not " + contentType);
        }
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > maxBytes) {
                    throw tooLarge();
                }
            } catch (NumberFormatException e) {
                throw new ApiException.MalformedJson("Content-Length is not a number", e);
            }
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        }
        if (body.length > maxBytes) {
            exchange.getResponseHeaders().set("Connection", "close");
            throw tooLarge();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ApiException.MalformedJson("the body is not valid UTF-8", e);
        }
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
            if (e.getPath().isEmpty()) {
                throw new ApiException.MalformedJson("the body is not valid JSON: " + e.getOriginalMessage(), e);
            }
            throw new ApiException.InvalidRequest(List.of(new FieldError(path(e), "is not a valid value")));
        } catch (JsonProcessingException e) {
            throw new ApiException.MalformedJson("the body is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private ApiException tooLarge() {
        return new ApiException.PayloadTooLarge("the body is larger than " + maxBytes + " bytes");
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
