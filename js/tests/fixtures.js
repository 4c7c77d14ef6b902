// Hand-made payloads in the wire format of landscape_widgets/io/wire.py.
const CTOR = { float32: Float32Array, float64: Float64Array, int32: Int32Array, uint8: Uint8Array };

export function w(values, dtype = "float32", shape = [values.length]) {
  const arr = new CTOR[dtype](values);
  return { dtype, shape, buffer: new DataView(arr.buffer) };
}

// 1-D landscape, 7 vertices: values 0 3 1 4 2 5 0.5 -> minima 0 (0.0), 6 (0.5), 2 (1.0), 4 (2.0)
// elder rule: 2 dies at 3 (vertex 1) into 0; 4 dies at 4 (vertex 3) into 0; 6 dies at 5 (v 5) into 0
export function topologyPayload({ levels = [], barcode = null } = {}) {
  return {
    shape: [7],
    axes: [w([0, 1, 2, 3, 4, 5, 6])],
    value_min: 0,
    value_max: 5,
    minima: w([0, 6, 2, 4], "int32"),
    minimum_value: w([0, 0.5, 1, 2], "float64"),
    persistence: w([Infinity, 4.5, 2, 2], "float64"),
    parent_minimum: w([-1, 0, 0, 0], "int32"),
    death_saddle: w([-1, 5, 1, 3], "int32"),
    basin_size: w([2, 2, 2, 1], "int32"),
    saddles: w([1, 3, 5], "int32"),
    saddle_value: w([3, 4, 5], "float64"),
    levels,
    barcode,
    // the compact model (TopologyModel): the real tree's vertices per band of 5 unit bands
    // (basin 0 holds 0, 3, 4, 5; basin 6 holds 0.5; basin 2 holds 1; basin 4 holds 2)
    n_nonfinite: 0,
    value_sum: w([12, 0.5, 1, 2], "float64"),
    bands: { linear: unitBands(), log: unitBands() },
  };
}

function unitBands() {
  return {
    edges: w([0, 1, 2, 3, 4, 5], "float64"),
    offsets: w([0, 4, 5, 6, 7], "int32"),
    band: w([0, 2, 3, 4, 0, 0, 1], "uint8"),
    count: w([1, 1, 1, 1, 1, 1, 1], "int32"),
  };
}

export function barcodePayload() {
  return {
    birth: w([0, 0.5, 1, 2]),
    death: w([NaN, 5, 3, 4]),
    essential: w([1, 0, 0, 0], "int32"),
    basin: w([0, 6, 2, 4], "int32"),
    saddle: w([-1, 5, 1, 3], "int32"),
    row: w([0, 1, 2, 3], "int32"),
    y_min: 0,
    y_max: 5,
  };
}

export function treePayload() {
  // nodes: minima 0, 6, 2, 4 then saddles 1, 3, 5; one two-point edge per node to its parent
  return {
    node_x: w([0.1, 0.9, 0.3, 0.6, 0.2, 0.4, 0.5]),
    node_y: w([0, 0.5, 1, 2, 3, 4, 5]),
    node_vertex: w([0, 6, 2, 4, 1, 3, 5], "int32"),
    node_is_minimum: w([1, 1, 1, 1, 0, 0, 0], "int32"),
    node_basin: w([0, 6, 2, 4, 2, 4, 6], "int32"),
    edge_source: w([0, 1, 2, 3, 4, 5, 6], "int32"),
    edge_target: w([4, 6, 4, 5, 5, 6, -1], "int32"),
    edge_basin: w([0, 6, 2, 4, 0, 0, 0], "int32"),
    edge_path_offsets: w([0, 2, 4, 6, 8, 10, 12, 14], "int32"),
    edge_path_x: w([0.1, 0.1, 0.9, 0.9, 0.3, 0.3, 0.6, 0.6, 0.2, 0.2, 0.4, 0.4, 0.5, 0.5]),
    edge_path_y: w([0, 3, 0.5, 5, 1, 3, 2, 4, 3, 4, 4, 5, 5, 5.5]),
    y_min: 0,
    y_max: 5,
  };
}

export function profilePayload() {
  // two basins: 0 (outer) and 2 (nested), rectangles as polygons
  return {
    basin_ids: w([0, 2], "int32"),
    basin_mean_loss: w([1.5, 2]),
    polygon_offsets: w([0, 4, 8], "int32"),
    polygon_x: w([0, 1, 1, 0, 0.2, 0.4, 0.4, 0.2]),
    polygon_y: w([0, 0, 5, 5, 1, 1, 3, 3]),
    minima_x: w([0.5, 0.3]),
    minima_y: w([0, 1]),
    minima_basin: w([0, 2], "int32"),
    saddle_x: w([0.3]),
    saddle_y: w([3]),
    saddle_vertex: w([1], "int32"),
    saddle_basin: w([2], "int32"),
    y_min: 0,
    y_max: 5,
  };
}
