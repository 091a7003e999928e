// The network pages' edge painter on its own thread (see edgePainter in raster.js): it keeps the part
// of the graph it was sent first and answers each view request with the per-class segment counts of
// its edges (transferred, not copied).
import { countEdges } from './raster.js';

let edges = null;
self.onmessage = ({ data }) => {
  if (data.edges) { edges = data.edges; return; }
  const counts = countEdges(edges, data.request);
  self.postMessage({ counts }, counts.map((c) => c.buffer));
};
