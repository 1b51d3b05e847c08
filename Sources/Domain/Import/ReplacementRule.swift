/// When an import replaces a stored set (the postcode directory, an indicator's values), a file that would remove
/// most of what is held is far more often a mistake (a header-only file, the wrong file, URNs from another
/// region) than an intention. Such an import is refused unless the operator says so explicitly.
public struct ReplacementRule: Sendable {
    /// The largest share of what is held that a replacement may remove without the explicit flag.
    public static let maximumShareRemoved = 0.10

    /// What is being replaced, as a count's noun ("postcodes", "values of Vacancies").
    public var noun: String
    /// The flag that allows it, as the operator types it (`--replace-all`).
    public var flag: String

    public init(noun: String, flag: String = "--replace-all") {
        self.noun = noun
        self.flag = flag
    }

    /// Throws when the replacement would keep nothing of the file, or remove more than the allowed share of
    /// what is held, unless `allowed`. `removed` counts held items the file does not have.
    public func check(held: Int, removed: Int, incoming: Int, file: String, allowed: Bool) throws(ImportRefusal) {
        guard !allowed else { return }
        if incoming == 0 {
            throw ImportRefusal(
                file: file,
                message:
                    "nothing in the file can be stored, so importing it would remove all \(held) \(noun) held and add none; nothing was changed. If that is what you want, run again with \(flag)."
            )
        }
        if held > 0, Double(removed) > Double(held) * Self.maximumShareRemoved {
            throw ImportRefusal(
                file: file,
                message:
                    "importing it would remove \(removed) of the \(held) \(noun) held (more than \(Int(Self.maximumShareRemoved * 100))%), keeping \(held - removed) and storing \(incoming); nothing was changed. If that is what you want, run again with \(flag)."
            )
        }
    }
}

/// An import refused as a whole because of what it would do to the stored data; nothing was changed.
public struct ImportRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
