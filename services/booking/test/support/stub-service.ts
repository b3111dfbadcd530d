import express from 'express';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * A real HTTP app standing in for another service in adapter tests: it answers every request
 * with the status and body the test set, and records what it received.
 */
export const stubService = () => {
  const received: RecordedRequest[] = [];
  let answer: { status: number; body: unknown } = { status: 200, body: {} };
  const app = express();
  app.use(express.json());
  app.use((req, res) => {
    received.push({ method: req.method, path: req.originalUrl, headers: req.headers, body: req.body });
    res.status(answer.status).json(answer.body);
  });
  return {
    app,
    received,
    answerWith: (status: number, body: unknown) => {
      answer = { status, body };
    },
  };
};
