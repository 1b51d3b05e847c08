import CZlib
import Foundation

/// Reads a whole file, decompressing it if it is gzip; a plain file is returned as it is.
///
/// The gzip stream is checked end to end: a stream cut short (a truncated download), bytes after it that are not
/// another gzip member, or a corrupt stream are errors, never a silently shorter file; and decompression stops
/// with an error once the output passes `maximumBytes`, so a small hostile file cannot exhaust memory.
public enum GzipFile {
    /// The most a file may hold once decompressed (England's whole postcode directory is about 80 MB).
    public static let maximumBytes = 1 << 30

    public static func read(_ path: String, maximumBytes: Int = maximumBytes) throws -> [UInt8] {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw FileReadError(path: path, message: "no such file, or it cannot be read")
        }
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw FileReadError(path: path, message: "cannot be read (\(error.localizedDescription))")
        }
        guard bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B else {
            guard bytes.count <= maximumBytes else {
                throw FileReadError(path: path, message: "is larger than \(maximumBytes) bytes")
            }
            return bytes
        }
        do {
            return try decompress(bytes, maximumBytes: maximumBytes)
        } catch let message as GzipProblem {
            throw FileReadError(path: path, message: message.text)
        }
    }

    struct GzipProblem: Error {
        let text: String
    }

    /// Inflates every gzip member of `input` in turn (concatenated members are valid gzip).
    static func decompress(_ input: [UInt8], maximumBytes: Int) throws(GzipProblem) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(min(maximumBytes, input.count * 4))
        var stream = z_stream()
        // 15 window bits + 16: expect a gzip header and trailer.
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw GzipProblem(text: "cannot start decompressing (zlib)")
        }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        var offset = 0
        var problem: GzipProblem?
        input.withUnsafeBufferPointer { source in
            while offset < input.count {
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress! + offset)
                stream.avail_in = UInt32(min(input.count - offset, Int(UInt32.max)))
                var status: Int32 = Z_OK
                repeat {
                    let produced: Int = chunk.withUnsafeMutableBufferPointer { buffer in
                        stream.next_out = buffer.baseAddress
                        stream.avail_out = UInt32(buffer.count)
                        status = inflate(&stream, Z_NO_FLUSH)
                        return buffer.count - Int(stream.avail_out)
                    }
                    if status != Z_OK && status != Z_STREAM_END && !(status == Z_BUF_ERROR && produced > 0) {
                        let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                        problem = GzipProblem(
                            text: status == Z_BUF_ERROR
                                ? "is truncated: the compressed data ends before the end of its stream"
                                : "is not a readable gzip file (\(reason))")
                        return
                    }
                    if out.count + produced > maximumBytes {
                        problem = GzipProblem(
                            text:
                                "decompresses to more than \(maximumBytes) bytes; refused (is it the right file, or a decompression bomb?)"
                        )
                        return
                    }
                    out.append(contentsOf: chunk[0..<produced])
                    if status == Z_BUF_ERROR && produced == 0 { break }
                } while status != Z_STREAM_END && (stream.avail_in > 0 || stream.avail_out == 0)
                offset = input.count - Int(stream.avail_in)
                guard status == Z_STREAM_END else {
                    problem = GzipProblem(
                        text:
                            "is truncated: the compressed data ends before the end of its stream (unexpected end of file)"
                    )
                    return
                }
                // Another member may follow; anything else after the stream is an error, not something to ignore.
                guard offset < input.count else { return }
                guard input.count - offset >= 2, input[offset] == 0x1F, input[offset + 1] == 0x8B else {
                    problem = GzipProblem(
                        text:
                            "has \(input.count - offset) bytes of trailing data after the compressed stream; is the file damaged?"
                    )
                    return
                }
                inflateReset(&stream)
            }
        }
        if let problem { throw problem }
        return out
    }
}

/// A file that could not be read.
public struct FileReadError: Error, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}
