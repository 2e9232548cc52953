package dev.crucible.queue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.UUID;

/** What executors report about sessions, for the api to store. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SessionEvent.Ready.class, name = "ready"),
    @JsonSubTypes.Type(value = SessionEvent.Ended.class, name = "ended"),
    @JsonSubTypes.Type(value = SessionEvent.CommandFinished.class, name = "command_finished"),
    @JsonSubTypes.Type(value = SessionEvent.ExecutorStarted.class, name = "executor_started")
})
public sealed interface SessionEvent {
    /**
     * The session's sandbox runs on {@code executor} and takes commands.
     *
     * @param incarnation which start of that executor holds it: a later start of the same name holds none of it
     */
    record Ready(UUID sessionId, String executor, String incarnation, Instant at) implements SessionEvent {}

    /** The session is over and its sandbox is gone (or going); {@code reason} is a {@code SessionEndedReason} of the contract. */
    record Ended(UUID sessionId, String reason, String message, Instant at) implements SessionEvent {}

    /**
     * A command ended. {@code result} and {@code output} are null when it could not run ({@code message} says
     * why, and the command is lost); {@code output}'s compile output, when it was compiled, is in {@code message}.
     */
    record CommandFinished(UUID sessionId, UUID commandId, ExecutionEvent.ProgramResult result, ExecutionEvent.Output output,
                           String message, Instant at) implements SessionEvent {}

    /** An executor started: any session held by an earlier start of the same name is lost. */
    record ExecutorStarted(String executor, String incarnation, Instant at) implements SessionEvent {}
}
