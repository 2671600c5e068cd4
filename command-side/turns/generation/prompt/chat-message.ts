/** A chat-completions message as this module builds it (text content only). */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}
