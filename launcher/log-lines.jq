# ./crucible logs: one line of a log, readable (jq -R). The api's and the executor's JSON lines, as the
# logging module's JsonLogger writes them (time, level, logger, thread, the MDC's entries such as
# submission and job, message, and for a throwable error and stack), become
#   2026-12-04T21:22:00.668Z INFO  EventConsumer: submission 4974… completed: ACCEPTED  [submission=4974…]
# with the stack trace, if any, indented below. Any other line (nginx's, PostgreSQL's, the JVM's own
# on a crash) is shown as it is.

# Control characters stay escaped as the JSON had them: a logged value (a path a client sent, say)
# never reaches the terminal as a control sequence, nor breaks its line.
def printable:
  def hex4: [(. / 4096 | floor) % 16, (. / 256 | floor) % 16, (. / 16 | floor) % 16, . % 16]
    | map("0123456789abcdef"[.:. + 1]) | join("");
  explode | map(
    if . == 10 then "\\n" elif . == 13 then "\\r" elif . == 9 then "\\t"
    elif . < 32 or (. >= 127 and . < 160) then "\\u" + hex4
    else [.] | implode end) | join("");

# The fields every line has; the others are the MDC's, shown as key=value after the message.
def fixed: {"time": true, "level": true, "logger": true, "thread": true, "message": true, "error": true, "stack": true};

def readable:
  . as $line
  | ([to_entries[] | select(fixed[.key] | not) | "\(.key)=\(.value | tostring | printable)"]) as $context
  | ([(.time | strings | printable), ((.level | printable) + "     " | .[:5]),
      (.logger | strings | split(".") | last | printable + ":")] + [.message | printable] | join(" "))
    + (if $context == [] then "" else "  [\($context | join(" "))]" end)
    + (if ($line.stack | type) == "string" then
         "\n" + ($line.stack | split("\n") | map("    " + (sub("^\t"; "    ") | printable)) | join("\n"))
       elif ($line.error | type) == "string" then "\n    " + ($line.error | printable)
       else "" end);

. as $raw
| (try fromjson catch null) as $json
| if ($json | type) == "object" and ($json.level | type) == "string" and ($json.message | type) == "string"
  then $json | readable
  else $raw end
