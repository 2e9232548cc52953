/**
 * Piston v2 compatibility at {@code /api/v2/}: {@code GET runtimes} and {@code POST execute}, so that
 * Piston clients work against Crucible by changing their base URL. A thin adapter at the HTTP edge:
 * a request becomes a {@code SubmissionRequest} made with {@code wait=true} through the one
 * submission pipeline, and the stored result is mapped back to Piston's shape. Errors are Piston's
 * {@code 400 {"message": "..."}}, here only.
 */
package dev.crucible.api.compat.piston;
