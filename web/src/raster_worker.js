// The network pages' edge painter on its own thread (see edgePainter in raster.js): it keeps the graph
// it was sent first and answers each view request with the pixels of its edges (transferred, not copied).
import { paintEdges } from './raster.js';

let edges = null;
self.onmessage = ({ data }) => {
  if (data.edges) { edges = data.edges; return; }
  const pixels = paintEdges(edges, data.request);
  self.postMessage({ pixels }, [pixels.buffer]);
};
