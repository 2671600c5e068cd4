/**
 * The server's limits on what an owner writes when curating (contracts/documents.ts, qa-pair-file.ts), counted after
 * trimming in UTF-16 code units like a textarea's maxlength: checked here first so the reason is in the user's words.
 */
export const MAX_CHUNK_CHARS = 8000;
export const MAX_QA_QUESTION_CHARS = 500;
export const MAX_QA_ANSWER_CHARS = 8000;
