/** Dismissible, specific messages: what went wrong, with which file, and its code. */
import { useCallback, useState } from 'react';

export interface Message {
  id: number;
  kind: 'error' | 'info';
  text: string;
  file?: string;
  code?: string;
}

let nextId = 1;
const INFO_MESSAGE_MS = 6000;

export function useMessages() {
  const [messages, setMessages] = useState<Message[]>([]);
  const dismiss = useCallback(
    (id: number) => setMessages((list) => list.filter((m) => m.id !== id)),
    [],
  );
  const add = useCallback(
    (message: Omit<Message, 'id'>) => {
      const id = nextId++;
      setMessages((list) => [...list, { ...message, id }]);
      // Information fades on its own; errors stay until the user dismisses them.
      if (message.kind === 'info') setTimeout(() => dismiss(id), INFO_MESSAGE_MS);
    },
    [dismiss],
  );
  return { messages, add, dismiss };
}

/** `openFile` shows the file a message names: the image in the viewer, or its row in the quarantine list. */
export function MessageList({
  messages,
  dismiss,
  openFile,
}: {
  messages: Message[];
  dismiss: (id: number) => void;
  openFile?: (file: string) => void;
}) {
  if (!messages.length) return null;
  return (
    <ul className="messages" aria-live="polite">
      {messages.map((m) => (
        <li key={m.id} className={`message message-${m.kind}`} data-code={m.code}>
          <span className="message-text">
            {m.file ? (
              openFile ? (
                <button
                  type="button"
                  className="message-file link"
                  onClick={() => openFile(m.file!)}
                  title="Show this file"
                >
                  {m.file}
                </button>
              ) : (
                <strong className="message-file">{m.file}</strong>
              )
            ) : null}
            {m.file ? ': ' : null}
            {m.text}
            {m.code ? <code className="message-code"> {m.code}</code> : null}
          </span>
          <button type="button" aria-label="Dismiss message" onClick={() => dismiss(m.id)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
