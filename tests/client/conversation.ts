// A client generated from the served /openapi.json (openapi-typescript types, openapi-fetch calls)
// holds a whole conversation with the `jackets` advisor: it answers each reply's question until
// the shortlist arrives, narrows messages and inputs by their `type`, and checks the problems a
// client meets. `tsc --strict` must accept it as written, so the description's types are as
// precise as a client needs; then node runs it against ADVISOR_URL. Any failure exits non-zero.
// Run by scripts/client-test.sh.

import createClient from "openapi-fetch";
import type { components, paths } from "./generated/api.js";

// The one global of node used here (no @types/node needed).
declare const process: { env: Record<string, string | undefined> };

type Reply = components["schemas"]["ReplyDto"];
type Input = components["schemas"]["InputDto"];
type Message = components["schemas"]["MessageDto"];
type Problem = components["schemas"]["Problem"];

// What the description promises, checked by the compiler (each line fails to compile when the
// generated types lose it).
type IsRequired<T, K extends keyof T> = {} extends Pick<T, K> ? false : true;
// Every reply has `input`: the question on offer, or null.
const inputIsAlwaysSent: IsRequired<Reply, "input"> = true;
// Problem codes are an open set: a code a later server adds is still a `code`.
const laterCode: Problem["code"] = "a_code_of_a_later_version";
const refusedByTheTypes: unknown[] = [
  // @ts-expect-error: "anwser" is no input type
  { type: "anwser", question_id: "who", values: [] } satisfies Input,
  // @ts-expect-error: a text input needs its text
  { type: "text" } satisfies Input,
  // @ts-expect-error: an action needs its name
  { type: "action" } satisfies Input,
  // @ts-expect-error: a text message has no items
  (message: Message) => message.type === "text" && message.items,
  // @ts-expect-error: a season is one of the known ones
  { advisor: "jackets", context: { season: "monsoon" } } satisfies components["schemas"]["StartRequest"],
];
void [inputIsAlwaysSent, laterCode, refusedByTheTypes];

const baseUrl = process.env.ADVISOR_URL;
if (!baseUrl) {
  throw new Error("set ADVISOR_URL to the server, e.g. http://127.0.0.1:8080");
}
const client = createClient<paths>({ baseUrl });

function check(condition: unknown, what: string): asserts condition {
  if (!condition) {
    throw new Error(what);
  }
}

function unreachable(value: never): never {
  throw new Error(`not described: ${JSON.stringify(value)}`);
}

/** What a message says, by its type (the compiler checks that every type is handled). */
function said(message: Message): string {
  switch (message.type) {
    case "text":
      return message.text;
    case "products":
      return message.items.map((item) => item.title).join(" | ");
    default:
      return unreachable(message);
  }
}

/** The answer to the reply's question: its first option that leaves products. */
function answer(reply: Reply): Input {
  const question = reply.input;
  check(question, `turn ${reply.turn} is awaiting input but offers no question`);
  const option =
    question.options.find((option) => option.count > 0 && !option.no_preference) ??
    question.options[0];
  check(option, `question ${question.question_id} offers no option`);
  return { type: "answer", question_id: question.question_id, values: [option.value] };
}

/** What an input does, by its type. */
function described(input: Input): string {
  switch (input.type) {
    case "answer":
      return `${input.question_id} = ${input.values.join(", ")}`;
    case "text":
      return `"${input.text}"`;
    case "action":
      return `${input.name}${input.product_id ? ` ${input.product_id}` : ""}`;
    default:
      return unreachable(input);
  }
}

function isProblem(response: Response): boolean {
  return (response.headers.get("content-type") ?? "").startsWith("application/problem+json");
}

const listed = await client.GET("/v1/advisors");
check(listed.data, `GET /v1/advisors answered ${listed.response.status}`);
check(
  listed.data.advisors.some((advisor) => advisor.id === "jackets"),
  "the advisor `jackets` is listed",
);

// A problem: an advisor that does not exist.
const unknown = await client.POST("/v1/conversations", { body: { advisor: "no-such-advisor" } });
check(unknown.error, "starting an unknown advisor fails");
check(unknown.response.status === 404, `an unknown advisor is ${unknown.response.status}`);
check(isProblem(unknown.response), "a problem is application/problem+json");
check(unknown.error.code === "advisor_not_found", `code ${unknown.error.code}`);
check(unknown.error.status === 404, "the problem names its status");

const started = await client.POST("/v1/conversations", {
  params: { header: { "Accept-Language": "en" } },
  body: { advisor: "jackets", context: { device: "desktop" } },
});
check(started.data, `starting answered ${started.response.status}: ${JSON.stringify(started.error)}`);
check(started.response.status === 201, `a start is ${started.response.status}`);
let reply: Reply = started.data;
const id = reply.conversation_id;
const path = { id };
check(
  started.response.headers.get("location") === `/v1/conversations/${id}`,
  "a start names the conversation's URL",
);
check(reply.locale === "en", `Accept-Language picks the locale, not ${reply.locale}`);
console.log(`started ${reply.advisor}: ${reply.messages.map(said).join(" / ")}`);

while (reply.state === "awaiting_input") {
  check(reply.turn < 20, "the shortlist comes within 20 turns");
  const input = answer(reply);
  const posted = await client.POST("/v1/conversations/{id}/turns", {
    params: { path },
    body: { input, expected_turn: reply.turn, client_message_id: `client-test-${reply.turn}` },
  });
  check(posted.data, `turn ${reply.turn} answered ${posted.response.status}: ${JSON.stringify(posted.error)}`);
  reply = posted.data;
  console.log(`turn ${reply.turn}: ${described(input)} → ${reply.candidate_count} candidates`);
}
check(reply.state === "completed", `the conversation ends ${reply.state}, not completed`);
check(reply.input === null, "a shortlist asks no question");
const shortlist = reply.messages.flatMap((message) =>
  message.type === "products" ? message.items : [],
);
const first = shortlist[0];
check(first, "the shortlist has products");
console.log(`shortlist: ${shortlist.map((product) => product.title).join(" | ")}`);
for (const product of shortlist) {
  check(product.price === null || product.price.amount > 0, `${product.id} has a price or null`);
}

// An action's ready-made input, posted back as it is.
const exclude = first.actions.find((action) => action.name === "exclude");
check(exclude, `${first.id} can be excluded`);
check(exclude.input.type === "action" && exclude.input.name === "exclude", "its input is the action");
const excluded = await client.POST("/v1/conversations/{id}/turns", {
  params: { path },
  body: { input: exclude.input, expected_turn: reply.turn },
});
check(excluded.data, `excluding answered ${excluded.response.status}`);
check(
  !excluded.data.messages.some(
    (message) => message.type === "products" && message.items.some((item) => item.id === first.id),
  ),
  `${first.id} is no longer shown`,
);
console.log(`turn ${excluded.data.turn}: ${described(exclude.input)}`);
reply = excluded.data;

// A stale turn: 409 with the conversation as it is now.
const stale = await client.POST("/v1/conversations/{id}/turns", {
  params: { path },
  body: { input: { type: "action", name: "back" }, expected_turn: 0 },
});
check(stale.error, "a stale turn is refused");
check(stale.response.status === 409 && stale.error.code === "turn_conflict", `a stale turn is ${stale.response.status}`);
check(stale.error.current_reply?.turn === reply.turn, "the conflict carries the current reply");

// A refused input: 422, and the conversation is unchanged.
const refused = await client.POST("/v1/conversations/{id}/turns", {
  params: { path },
  body: { input: { type: "answer", question_id: "no_such_question", values: ["x"] } },
});
check(refused.error, "an answer to a question not asked is refused");
check(refused.response.status === 422, `a refused input is ${refused.response.status}`);
check(refused.error.code === "question_not_asked", `code ${refused.error.code}`);

const clicked = await client.POST("/v1/conversations/{id}/events", {
  params: { path },
  body: { type: "product_clicked", product_id: shortlist[shortlist.length - 1]?.id ?? first.id },
});
check(clicked.response.status === 204, `an event is ${clicked.response.status}`);

const current = await client.GET("/v1/conversations/{id}", { params: { path } });
check(current.data?.turn === reply.turn, "the conversation is where the last turn left it");

const deleted = await client.DELETE("/v1/conversations/{id}", { params: { path } });
check(deleted.response.status === 204, `deleting is ${deleted.response.status}`);
const gone = await client.GET("/v1/conversations/{id}", { params: { path } });
check(gone.error?.code === "conversation_not_found", `after deleting: ${gone.response.status}`);

console.log(`client test: a whole conversation in ${reply.turn} turns, and its problems, as described`);
