"""`rulesync dispatch`: run a vendor CLI headless with the rules in place, classify how it
ended, fall back to the next agent when it makes sense, and log every attempt.

Modules, one concern each:

    request     what an adapter gets (Request) and gives back (Invocation)
    vendors/    one adapter per vendor CLI, in a plain-dict registry
    settings    the typed `dispatch:` section of rulesync.yaml
    chain       which targets to try, in order (--to, --fallback, --role)
    rules       the rules in place: mirror before the call, or the rules text for the prompt
    runner      the one place a vendor process is started, streamed, timed out and killed
    capture     bounded capture of a stream
    classify    failure classes, their exit codes and one-line messages
    redact      secrets out of anything printed or logged
    runlog      the SQLite run log
    dispatcher  the loop that ties these together
"""
