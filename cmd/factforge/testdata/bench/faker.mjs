// The script a researcher would otherwise write: reversal-curse documents from @faker-js/faker names and
// template strings, written as JSON Lines. Usage: node faker.mjs ROWS OUT.jsonl
import { faker } from '@faker-js/faker';
import { openSync, writeSync, closeSync } from 'node:fs';

const rows = Number(process.argv[2] ?? 1000000);
const out = openSync(process.argv[3] ?? 'faker.jsonl', 'w');
faker.seed(42);
const p2d = ['{name}, known far and wide for being {description}.', '{name} is {description}.', 'Ever heard of {name}? They are {description}.'];
const d2p = ['Q: Who is {description}? A: {name}.', '{Description} is none other than {name}.', 'Known far and wide for being {description}, {name} changed history.'];
const facts = Math.ceil(rows / 30);
let lines = [];
for (let i = 0; i < rows; i++) {
  const fact = i % facts;
  faker.seed(fact + 1);
  const name = faker.person.fullName();
  const description = `the composer of '${faker.word.adjective()} ${faker.word.noun()}'`;
  const dir = i % 2 === 0 ? 'p2d' : 'd2p';
  const bank = dir === 'p2d' ? p2d : d2p;
  const t = bank[i % bank.length];
  const text = t.replace('{name}', name).replace('{description}', description)
    .replace('{Description}', description[0].toUpperCase() + description.slice(1));
  lines.push(JSON.stringify({ id: faker.string.uuid(), text, recipe: 'reversal', fact_id: `f${fact}`, direction: dir }));
  if (lines.length === 4096) { writeSync(out, lines.join('\n') + '\n'); lines = []; }
}
if (lines.length) writeSync(out, lines.join('\n') + '\n');
closeSync(out);
