/// A uniform grid over points in metres, for finding neighbours without comparing every pair.
///
/// Points are bucketed by cell (counting sort), so a cell's points are contiguous in `order`.
struct SpatialGrid {
    let cellSize: Double
    let minX: Double
    let minY: Double
    let columns: Int
    let rows: Int
    /// Start of each cell's run in `order`; `cellStart[c + 1] - cellStart[c]` points are in cell c.
    let cellStart: [Int32]
    /// Point indices sorted by cell.
    let order: [Int32]
    /// Cell of each point.
    let cellOf: [Int32]

    /// The most cells along either side. A cell is never smaller than `cellSize` asks, but it grows when the
    /// extent would need more than this many, so a tiny band over a wide area cannot allocate billions of cells;
    /// searches stay correct because a neighbour within the band is still in the same or an adjacent cell.
    static let maximumCellsPerSide = 2_048

    /// `cellSize` and the coordinates must be finite (the callers check them at the edge).
    init(x: [Double], y: [Double], cellSize requested: Double) {
        precondition(x.count == y.count)
        let n = x.count
        var minX = Double.infinity
        var minY = Double.infinity
        var maxX = -Double.infinity
        var maxY = -Double.infinity
        for i in 0..<n {
            minX = Swift.min(minX, x[i])
            maxX = Swift.max(maxX, x[i])
            minY = Swift.min(minY, y[i])
            maxY = Swift.max(maxY, y[i])
        }
        if n == 0 { (minX, minY, maxX, maxY) = (0, 0, 0, 0) }
        self.minX = minX
        self.minY = minY
        let extent = Swift.max(maxX - minX, maxY - minY)
        let cellSize = Swift.max(requested, extent / Double(Self.maximumCellsPerSide - 1), 1e-9)
        self.cellSize = cellSize
        let columns = Swift.max(
            1, Swift.min(Int(((maxX - minX) / cellSize).rounded(.down)) + 1, Self.maximumCellsPerSide))
        let rows = Swift.max(1, Swift.min(Int(((maxY - minY) / cellSize).rounded(.down)) + 1, Self.maximumCellsPerSide))
        self.columns = columns
        self.rows = rows
        var cellOf = [Int32](repeating: 0, count: n)
        var counts = [Int32](repeating: 0, count: columns * rows + 1)
        for i in 0..<n {
            let cx = Swift.min(columns - 1, Int((x[i] - minX) / cellSize))
            let cy = Swift.min(rows - 1, Int((y[i] - minY) / cellSize))
            let c = cy * columns + cx
            cellOf[i] = Int32(c)
            counts[c + 1] += 1
        }
        for c in 0..<(columns * rows) { counts[c + 1] += counts[c] }
        var next = counts
        var order = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let c = Int(cellOf[i])
            order[Int(next[c])] = Int32(i)
            next[c] += 1
        }
        self.cellStart = counts
        self.order = order
        self.cellOf = cellOf
    }
}
