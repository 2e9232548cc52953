/**
 * Reading a submitted project's archive as the hostile input it is: {@link dev.crucible.archive.ProjectArchive}.
 * The api reads it to refuse a bad archive with a 422; the executor reads it again, because a job can
 * reach Redis without passing the api. Depends on nothing of Crucible's.
 */
package dev.crucible.archive;
