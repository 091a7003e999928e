#!/usr/bin/python3
"""networkx's spring_layout (Fruchterman-Reingold) on an edge file written by graph_bench export.

usage: networkx_layout.py <edges file> <iterations> <positions file>

Runs the same code spring_layout runs (the sparse variant for 500 nodes or more, the dense one below),
with threshold 0 so that every iteration runs, and times only the iterations: reading the file, building
the graph and its adjacency matrix are not timed. Prints "seconds <wall> cpu <process CPU time>". Uses Debian's python3-networkx.
"""
import sys
import time

import networkx as nx
import numpy as np
from networkx.drawing import layout as nxlayout


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    edges_path, iterations, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(edges_path) as f:
        n, _ = map(int, f.readline().split())
        edges = [tuple(map(int, line.split())) for line in f]
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from((a, b) for a, b in edges if a != b)
    seed = np.random.RandomState(1)
    start = np.asarray(seed.rand(n, 2), dtype=np.float32)
    if n >= 500:
        matrix = nx.to_scipy_sparse_array(graph, nodelist=range(n), dtype="f")
        began, began_cpu = time.perf_counter(), time.process_time()
        pos = nxlayout._sparse_fruchterman_reingold(matrix, None, start, None, iterations, 0.0, 2, seed)
    else:
        matrix = nx.to_numpy_array(graph, nodelist=range(n))
        began, began_cpu = time.perf_counter(), time.process_time()
        pos = nxlayout._fruchterman_reingold(matrix, None, start, None, iterations, 0.0, 2, seed)
    seconds, cpu = time.perf_counter() - began, time.process_time() - began_cpu
    with open(out_path, "w") as f:
        for x, y in pos:
            f.write(f"{x:.9g} {y:.9g}\n")
    print(f"seconds {seconds:.4f} cpu {cpu:.4f}")


if __name__ == "__main__":
    main()
