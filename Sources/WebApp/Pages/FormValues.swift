import Domain
import Foundation
import Vapor

/// The name-value pairs of a form body or a query string (`application/x-www-form-urlencoded`), keeping every
/// value of a repeated name (checkboxes, `factor=` lists) in order. Values are trimmed and cut to `limit`
/// characters.
struct FormValues: Sendable {
    private var values: [String: [String]] = [:]

    init(encoded text: String, limit: Int = 5_000) {
        for part in text.split(separator: "&") {
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            values[decode(pair[0]), default: []].append(String(decode(pair[1]).trimmingSpaces.prefix(limit)))
        }
    }

    /// The request's form body.
    static func body(_ req: Request, limit: Int = 5_000) -> FormValues {
        FormValues(encoded: req.body.string ?? "", limit: limit)
    }

    /// The request's query string.
    static func query(_ req: Request) -> FormValues { FormValues(encoded: req.url.query ?? "") }

    /// The first value of the name, or "".
    func one(_ name: String) -> String { values[name]?.first ?? "" }

    /// Every value of the name, in order.
    func all(_ name: String) -> [String] { values[name] ?? [] }
}
