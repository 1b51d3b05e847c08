import Domain
import FluentKit
import Foundation

/// First-run data: the bundled real schools of the pilot regions and a demo partnership of real and
/// clearly-labelled demo organisations. Each part runs only when its tables are empty, so restarting loses nothing.
public enum DemoSeed {
    public struct Report: Sendable {
        public var schools: ImportSummary?
        public var organisationsCreated = 0
        public var postcodesLoaded = 0
    }

    /// The local authorities of the two pilot regions (GSS codes).
    public static let pilotAuthorities = [
        "E10000016",  // Kent
        "E06000035",  // Medway
        "E10000011",  // East Sussex
        "E10000032",  // West Sussex
        "E06000043",  // Brighton and Hove
        "E06000021",  // Stoke-on-Trent
        "E10000028",  // Staffordshire
    ]

    /// Loads the bundled pilot-region postcodes into an empty postcode table (about two seconds).
    public static func loadPilotPostcodes(on database: any Database) async throws -> Int {
        let store = PostcodeStore(database)
        guard try await store.count() == 0 else { return 0 }
        guard
            let url = Bundle.module.url(
                forResource: BundledData.pilotPostcodesFile, withExtension: nil, subdirectory: "Resources")
        else {
            throw FileReadError(path: BundledData.pilotPostcodesFile, message: "is missing from the bundled resources")
        }
        let directory = try PostcodeStore.Directory(
            bytes: try GzipFile.read(url.path), file: BundledData.pilotPostcodesFile)
        _ = try await store.replaceAll(with: directory)
        return directory.entries.count
    }

    /// Loads the bundled real schools of the pilot regions into an empty schools table (real public data, no
    /// people): for the demo, and for `chalkface setup --bundled-data`.
    public static func loadBundledSchools(on database: any Database) async throws -> ImportSummary? {
        let schools = SchoolStore(database)
        guard try await schools.count(status: .all) == 0 else { return nil }
        let file = try SchoolFile.read(
            BundledData.bytes(BundledData.regionalSchoolsFile), file: BundledData.regionalSchoolsFile,
            geography: BundledData.geography())
        return try await schools.importFile(file)
    }

    public static func run(on database: any Database) async throws -> Report {
        var report = Report()
        report.schools = try await loadBundledSchools(on: database)
        let organisations = OrganisationStore(database)
        if try await organisations.partnerships().isEmpty {
            report.organisationsCreated = try await database.transaction { tx in
                try await seedPartnership(on: tx)
            }
        }
        return report
    }

    struct Member {
        let organisation: Organisation
        let joined: String
    }

    static func seedPartnership(on database: any Database) async throws -> Int {
        let store = OrganisationStore(database)
        let geography = try BundledData.geography()
        let partnership = Partnership(
            name: "South East and Staffordshire Teacher Partnership (demo)",
            summary:
                "A demonstration partnership of universities, SCITTs, trusts, local authorities, hubs and schools "
                + "in Kent, Medway, East Sussex, West Sussex, Brighton and Hove, Stoke-on-Trent and Staffordshire. "
                + "Providers and local authorities are real names from DfE lists; trusts and hubs marked (demo) are invented.",
            localAuthorityCodes: pilotAuthorities)
        try await store.createPartnership(partnership)

        // Accredited ITT providers in the regions, as named in DfE's 2025 provider list.
        var members: [Member] = [
            .init(
                organisation: Organisation(
                    name: "Canterbury Christ Church University", kind: .university,
                    website: "https://www.canterbury.ac.uk"), joined: "2024-09-01"),
            .init(
                organisation: Organisation(
                    name: "University of Brighton", kind: .university, website: "https://www.brighton.ac.uk"),
                joined: "2024-09-01"),
            .init(
                organisation: Organisation(
                    name: "University of Chichester", kind: .university, website: "https://www.chi.ac.uk"),
                joined: "2024-09-01"),
            .init(
                organisation: Organisation(
                    name: "Staffordshire University", kind: .university, website: "https://www.staffs.ac.uk"),
                joined: "2025-01-06"),
            .init(
                organisation: Organisation(name: "Kent and Medway Training - KMT", kind: .scitt), joined: "2024-09-01"),
            .init(
                organisation: Organisation(name: "Keele and North Staffordshire Teacher Education", kind: .scitt),
                joined: "2025-01-06"),
            .init(
                organisation: Organisation(
                    name: "St. Joseph's College Stoke Secondary Partnership", kind: .schoolLedProvider),
                joined: "2025-01-06"),
            .init(
                organisation: Organisation(
                    name: "Weald and Downs Teaching School Hub (demo)", kind: .teachingSchoolHub), joined: "2024-09-01"),
            .init(
                organisation: Organisation(name: "Trent and Peak Teaching School Hub (demo)", kind: .teachingSchoolHub),
                joined: "2025-01-06"),
            .init(
                organisation: Organisation(name: "Coast and Weald Maths Hub (demo)", kind: .mathsHub),
                joined: "2024-09-01"),
            .init(
                organisation: Organisation(name: "Potteries Maths Hub (demo)", kind: .mathsHub), joined: "2025-01-06"),
            .init(
                organisation: Organisation(name: "Medway Research School (demo)", kind: .researchSchool),
                joined: "2025-04-22"),
        ]
        for code in pilotAuthorities {
            if let la = geography.localAuthority(code) {
                members.append(
                    .init(
                        organisation: Organisation(name: la.name, kind: .localAuthority, localAuthorityCode: la.code),
                        joined: "2024-09-01"))
            }
        }

        // Partner schools: the region's ITT lead schools (a real flag in the GIAS-derived list).
        let schools = try await SchoolStore(database).all(SchoolQuery(status: .open))
        let inRegion = schools.filter { $0.localAuthority.map { pilotAuthorities.contains($0.code) } ?? false }
        for school in inRegion where school.isITTLeadSchool {
            members.append(
                .init(
                    organisation: Organisation(name: school.name, kind: .school, urn: school.urn), joined: "2024-09-01")
            )
        }

        // Demo trusts: the bundled list has no trust data, so three invented trusts take the open schools
        // nearest a town centre in their area (deterministic: by distance, then URN). Centres: Tunbridge Wells,
        // Brighton, Stoke-on-Trent.
        let trusts: [(name: String, centre: GridPoint, authority: String, size: Int)] = [
            ("Weald Learning Partnership (demo)", GridPoint(easting: 558_000, northing: 139_500), "E10000016", 14),
            ("Downs and Coast Academies (demo)", GridPoint(easting: 531_000, northing: 106_000), "E06000043", 9),
            ("Trent Valley Schools Trust (demo)", GridPoint(easting: 388_000, northing: 347_000), "E06000021", 12),
        ]
        var trustSchools: [(OrganisationID, [URN])] = []
        for t in trusts {
            let org = Organisation(name: t.name, kind: .multiAcademyTrust)
            members.append(.init(organisation: org, joined: "2024-09-01"))
            let chosen = inRegion.filter { $0.localAuthority?.code == t.authority && $0.location != nil }
                .sorted {
                    ($0.location!.distance(to: t.centre), $0.urn.value) < (
                        $1.location!.distance(to: t.centre), $1.urn.value
                    )
                }
                .prefix(t.size).map(\.urn)
            trustSchools.append((org.id, chosen))
        }

        for m in members {
            try await store.create(m.organisation)
            try await store.addMember(m.organisation.id, to: partnership.id, joinedOn: Day(m.joined))
        }
        for (trust, urns) in trustSchools { try await store.addSchools(urns, to: trust) }
        return members.count
    }
}
