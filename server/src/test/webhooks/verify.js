// Reads {secret, headers, body} as JSON on stdin and verifies the message with the Standard
// Webhooks reference library. Exit 0 and the payload on stdout when the signature holds; exit 1
// and the library's reason on stderr when it does not.
const { Webhook } = require("standardwebhooks");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const message = JSON.parse(input);
  try {
    const payload = new Webhook(message.secret).verify(message.body, message.headers);
    process.stdout.write(JSON.stringify(payload));
  } catch (e) {
    process.stderr.write(String(e && e.message ? e.message : e));
    process.exit(1);
  }
});
