// Prints the given port when 127.0.0.1 can listen on it, else a free one the system picks.
import { createServer } from "node:net";

const listen = (port) => new Promise((resolve, reject) => {
  const server = createServer();
  server.once("error", reject);
  server.listen(port, "127.0.0.1", () => {
    const { port: bound } = server.address();
    server.close(() => resolve(bound));
  });
});

const wanted = Number(process.argv[2] ?? 3000);
const port = await listen(wanted).catch((e) => (e.code === "EADDRINUSE" ? listen(0) : Promise.reject(e)));
process.stdout.write(`${port}\n`);
