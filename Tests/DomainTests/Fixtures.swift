import Foundation

enum Fixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func bytes(_ relativeToRepository: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: repository.appendingPathComponent(relativeToRepository)))
    }

    static func shared(_ relative: String) throws -> [UInt8] {
        try bytes("../shared/data/" + relative)
    }

    static let regionalSchools = "Sources/Persistence/Resources/schools_regions_of_interest_2025-07.csv"
    static let districtLookup = "Sources/Persistence/Resources/lad_to_la_region_2025.csv"
}
