// graphology-layout-forceatlas2 (npm, run on Node) on an edge file written by graph_bench export.
//
// usage: node graphology_layout.mjs <edges file> <iterations> <positions file> [theta]
//
// Builds a graphology graph (undirected; an edge listed twice is merged into one, where ours would weight
// it 2: the generated graphs have almost no repeats), seeds random positions, converts it with the
// library's own graphToByteArrays, and times only the iterate() calls the library's forceAtlas2() makes. Settings are
// ForceAtlas2's (Gephi's) defaults as ours uses them: scaling ratio 2, gravity 1, Barnes-Hut on. theta is
// ours (a cell acts as one when width < theta * distance); graphology's test is 2 * width / distance <
// barnesHutTheta, so it gets 2 * theta for the same approximation. Prints "seconds <wall> cpu <CPU time>".
import {createRequire} from 'node:module';
import {readFileSync, writeFileSync} from 'node:fs';

const require = createRequire(import.meta.url);
const Graph = require('graphology');
const iterate = require('graphology-layout-forceatlas2/iterate.js');
const helpers = require('graphology-layout-forceatlas2/helpers.js');
const defaults = require('graphology-layout-forceatlas2/defaults.js');

const [edgesPath, iterationsText, outPath, thetaText] = process.argv.slice(2);
if (!outPath) {
  console.error('usage: node graphology_layout.mjs <edges file> <iterations> <positions file> [theta]');
  process.exit(2);
}
const iterations = Number(iterationsText);
const theta = thetaText ? Number(thetaText) : 1.2;

const lines = readFileSync(edgesPath, 'utf8').split('\n');
const [n] = lines[0].split(' ').map(Number);
const graph = new Graph({type: 'undirected', multi: false, allowSelfLoops: false});
// A small seeded generator (mulberry32) for the start positions.
let state = 1;
const random = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const side = 10 * Math.sqrt(n);
for (let i = 0; i < n; i++) graph.addNode(i, {x: (random() - 0.5) * side, y: (random() - 0.5) * side});
for (let l = 1; l < lines.length; l++) {
  if (!lines[l]) continue;
  const space = lines[l].indexOf(' ');
  const a = lines[l].slice(0, space), b = lines[l].slice(space + 1);
  if (a !== b) graph.mergeEdge(a, b);
}

const settings = Object.assign({}, defaults, {
  scalingRatio: 2,
  gravity: 1,
  barnesHutOptimize: true,
  barnesHutTheta: 2 * theta,
});
const matrices = helpers.graphToByteArrays(graph, () => 1);
const began = process.hrtime.bigint();
const beganCpu = process.cpuUsage();
for (let i = 0; i < iterations; i++) iterate(settings, matrices.nodes, matrices.edges);
const seconds = Number(process.hrtime.bigint() - began) / 1e9;
const cpuUsed = process.cpuUsage(beganCpu);
const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;

// Node k of the graph is row k of the matrix: nodes were added in index order.
const out = [];
for (let i = 0; i < n; i++) out.push(`${matrices.nodes[i * 10]} ${matrices.nodes[i * 10 + 1]}`);
writeFileSync(outPath, out.join('\n') + '\n');
console.log(`seconds ${seconds.toFixed(4)} cpu ${cpu.toFixed(4)}`);
