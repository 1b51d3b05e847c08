import CZlib
import Foundation

/// Reads a whole file, decompressing it if it is gzip (zlib reads plain files unchanged).
public enum GzipFile {
    public static func read(_ path: String) throws -> [UInt8] {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw FileReadError(path: path, message: "no such file, or it cannot be read")
        }
        guard let file = gzopen(path, "rb") else { throw FileReadError(path: path, message: "cannot be opened") }
        defer { gzclose(file) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if n < 0 {
                var code: Int32 = 0
                let message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown error"
                throw FileReadError(path: path, message: "is not a readable gzip file (\(message))")
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<Int(n)])
        }
        return out
    }
}

/// A file that could not be read.
public struct FileReadError: Error, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}
