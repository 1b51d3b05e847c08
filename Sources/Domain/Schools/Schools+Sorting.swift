extension Array where Element == School {
    /// Sorted as lists show them: by name, then URN so that the order is stable.
    public func sortedForList() -> [School] {
        sorted { ($0.name.lowercased(), $0.urn.value) < ($1.name.lowercased(), $1.urn.value) }
    }
}
