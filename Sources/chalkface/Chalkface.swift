import ArgumentParser
import Domain
import Foundation
import Persistence
import Vapor
import WebApp

@main
struct Chalkface: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chalkface",
        abstract: "Chalkface: the shared platform of a teacher recruitment and retention partnership.",
        discussion: """
            DATABASE_URL selects the database for every command: postgres://USER:PASSWORD@HOST:PORT/DB for \
            PostgreSQL, sqlite:PATH or a plain file path for SQLite; unset means ./chalkface.sqlite.
            """,
        subcommands: [
            Serve.self, Setup.self, Migrate.self, Import.self, Export.self, ColdSpots.self, Allocate.self,
            SurvivalCommand.self, CoxCommand.self, FunnelCommand.self, PeerGroupsCommand.self, ECTsCommand.self,
            Users.self,
            BackupCommand.self, RestoreCommand.self,
        ]
    )
}

/// Starts an application with the database configured and (unless `migrate` is false) migrated, runs `body`, and
/// shuts it down.
func withDatabase<T: Sendable>(
    seed: Bool = false, migrate: Bool = true, _ body: @Sendable (Application) async throws -> T
) async throws -> T {
    var config = try AppConfiguration.fromEnvironment()
    config.seedDemoData = seed
    var env = Environment(name: "production", arguments: ["chalkface"])
    env.commandInput.arguments = []
    let app = try await Application.make(env)
    app.logger.logLevel = .warning
    app.configuration = config
    do {
        try configureDatabase(app, config)
        if migrate { try await prepareDatabase(app, config) }
        let result = try await body(app)
        try await app.asyncShutdown()
        return result
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the web pages and the API.",
        discussion:
            "On first run against an empty database, loads the bundled schools of the pilot regions and a demo partnership."
    )

    @ArgumentParser.Option(help: "The address to listen on.") var hostname = "127.0.0.1"
    @ArgumentParser.Option(help: "The port to listen on (default: PORT, or 8080).") var port: Int?

    func run() async throws {
        var config = try AppConfiguration.fromEnvironment()
        config.hostname = hostname
        if let port { config.port = port }
        var env = Environment(name: "production", arguments: ["chalkface"])
        env.commandInput.arguments = []
        if config.logFormat == .json {
            let level = config.logLevel
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        } else {
            try LoggingSystem.bootstrap(from: &env)
        }
        let app = try await Application.make(env)
        do {
            try await configure(app, config)
            app.logger.notice("Chalkface on http://\(config.hostname):\(config.port) using \(config.database)")
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or update the database's tables, then stop.")

    func run() async throws {
        let location = try AppConfiguration.fromEnvironment().database
        try await withDatabase { _ in }
        print("Migrated \(location).")
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load data from files.",
        subcommands: [
            ImportSchools.self, ImportPostcodes.self, ImportIndicator.self, ImportTeachers.self,
            ImportApplications.self, ImportDeployment.self,
        ])
}

struct ImportSchools: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schools",
        abstract: "Add or update schools from a GIAS download or a school list (by URN, in one transaction).",
        discussion: """
            Reads either a full GIAS "all establishment data" CSV (GIAS's own columns, Windows-1252) or a school \
            list with columns urn,name,...,easting,northing,la_code,la_code_dfe,la_name,... (UTF-8). The format \
            is told from the header. A malformed file changes nothing; rows that are well formed but cannot be \
            imported are listed with their line numbers.
            """)

    @ArgumentParser.Argument(help: "The CSV file.") var file: String

    func run() async throws {
        let bytes = try readFile(file)
        let parsed: SchoolFile
        do {
            parsed = try SchoolFile.read(bytes, file: file, geography: BundledData.geography())
        } catch let error as ImportFileError {
            throw ValidationFailure(error.description)
        }
        printError(
            "\(file): \(parsed.format.label), \(parsed.encoding.rawValue), \(parsed.schools.count + parsed.rejected.count) rows"
        )
        let bar = ProgressBar(label: "Writing")
        let summary = try await withDatabase { app in
            try await SchoolStore(app.db).importFile(parsed) { done, total in bar.update(done, total) }
        }
        bar.finish()
        print(summary.report)
    }
}

struct ImportPostcodes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postcodes",
        abstract:
            "Replace the postcode directory from the ONS postcode file (postcode,easting,northing,lad_code; .csv or .csv.gz)."
    )

    @ArgumentParser.Argument(help: "The CSV file, optionally gzip-compressed.") var file: String
    @ArgumentParser.Flag(
        help:
            "Replace the directory even if that removes more than 10% of the postcodes held, or all of them (an empty file)."
    )
    var replaceAll = false

    func run() async throws {
        let bytes: [UInt8]
        do {
            bytes = try GzipFile.read(file)
        } catch {
            throw ValidationFailure("\(error)")
        }
        let directory: PostcodeStore.Directory
        do {
            directory = try PostcodeStore.Directory(bytes: bytes, file: file)
        } catch {
            throw ValidationFailure(error.description)
        }
        let bar = ProgressBar(label: "Writing")
        let before = try await refusalsAsFailures {
            try await withDatabase { app in
                try await PostcodeStore(app.db).replaceAll(with: directory, file: file, replaceAll: replaceAll) {
                    done, total in bar.update(done, total)
                }
            }
        }
        bar.finish()
        print("\(directory.entries.count) postcodes loaded (\(before) held before were replaced)")
    }
}

struct ImportTeachers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teachers",
        abstract: "Load a region-wide staff extract into the teacher register, one row per period at a school.",
        discussion: """
            Header: \(TeacherFile.columns.joined(separator: ",")). Teachers are matched by TRN (or, without one, by \
            name and birth year) and their periods merged, never duplicated; a period already stored is unchanged, \
            an open one the file ends is ended. Roles: \(StaffRole.allCases.map(\.rawValue).joined(separator: ", ")); \
            end reasons: \(EndReason.allCases.map(\.rawValue).joined(separator: ", ")); specialisms are \
            ;-separated subject keys. All or nothing: any problem is printed as file:line: field: message and \
            nothing is imported.
            """)

    @ArgumentParser.Argument(help: "The CSV file.") var file: String

    func run() async throws {
        let bytes = try readFile(file)
        let entries: [TeacherFile.Entry]
        do {
            entries = try TeacherFile.read(bytes, file: file, thisYear: Day.inUK(Date()).year)
        } catch {
            throw ValidationFailure(error.description)
        }
        let bar = ProgressBar(label: "Writing")
        let name = (file as NSString).lastPathComponent
        let result: TeacherStore.ImportResult
        do {
            result = try await withDatabase { app in
                try await app.db.transaction { tx in
                    try await TeacherStore(tx).importEntries(
                        entries, file: name, author: "Import of \(name)", at: Date(),
                        progress: { bar.update($0, $1) })
                }
            }
        } catch let error as ImportFileError {
            bar.finish()
            throw ValidationFailure(error.description)
        }
        bar.finish()
        print(result.report)
    }
}

struct ImportDeployment: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deployment",
        abstract:
            "Load schools' curriculum deployment: each teacher's weekly hours per subject (urn,trn,subject,hours).",
        discussion: """
            Header: \(DeploymentFile.columns.joined(separator: ",")); one row per teacher, school and subject. \
            Subjects: \(TeachingSubject.allCases.map(\.rawValue).joined(separator: ", ")). Hours are a week, more \
            than 0 and at most 40 (in all, per teacher and school), with at most two decimal places. Every TRN \
            must be in the teacher register and every URN a school Chalkface holds. Each school in the file has \
            its deployment replaced by the file's rows. All or nothing: any problem is printed as \
            file:line: field: message and nothing is imported.
            """)

    @ArgumentParser.Argument(help: "The CSV file.") var file: String

    func run() async throws {
        let bytes = try readFile(file)
        let entries: [DeploymentFile.Entry]
        do {
            entries = try DeploymentFile.read(bytes, file: file)
        } catch {
            throw ValidationFailure(error.description)
        }
        let name = (file as NSString).lastPathComponent
        let result: DeploymentStore.ImportResult
        do {
            result = try await withDatabase { app in
                try await app.db.transaction { tx in
                    try await DeploymentStore(tx).importEntries(
                        entries, file: name, author: "Import of \(name)", at: Date())
                }
            }
        } catch let error as ImportFileError {
            throw ValidationFailure(error.description)
        }
        print(result.report)
    }
}

struct ImportIndicator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicator",
        abstract: "Load a per-school indicator for cold-spot analysis (urn,value[,subject]), replacing its values.",
        discussion: """
            Values must be non-negative counts or rates (for example vacancies per subject, or the share of hours \
            taught by non-specialists). Each URN may appear once per subject. A malformed file changes nothing; \
            rows whose URN Chalkface does not hold are listed and the rest are stored, in one transaction.
            """)

    @ArgumentParser.Argument(help: "The CSV file.") var file: String
    @ArgumentParser.Option(help: "The indicator's name, as the cold-spots page shows it.") var name: String
    @ArgumentParser.Flag(
        help:
            "Replace the indicator even if that removes more than 10% of its stored values, or all of them (no URN held)."
    )
    var replaceAll = false

    func validate() throws {
        guard !name.trimmingSpaces.isEmpty, name.count <= 100 else {
            throw ArgumentParser.ValidationError("--name must be 1 to 100 characters.")
        }
    }

    func run() async throws {
        let bytes = try readFile(file)
        let values: [IndicatorValue]
        do {
            values = try IndicatorValue.read(bytes, file: file)
        } catch {
            throw ValidationFailure(error.description)
        }
        let name = name.trimmingSpaces
        let result = try await refusalsAsFailures {
            try await withDatabase { app in
                try await IndicatorStore(app.db).replace(name: name, with: values, file: file, replaceAll: replaceAll)
            }
        }
        print(
            "\(name): \(result.stored) values stored (\(result.replaced) replaced), \(result.rejected.count) rejected")
        for r in result.rejected { print("  line \(r.line) (URN \(r.urn ?? "")): \(r.reason)") }
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write data to standard output.",
        subcommands: [ExportSchools.self, ExportResearchEngagement.self, ExportSpecialists.self, ExportAreas.self])
}

struct ExportSchools: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schools", abstract: "Write schools as CSV or JSON to standard output, ordered by name then URN.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, json
    }

    @ArgumentParser.Option(help: "Only this local authority: GSS code (E10000016) or DfE number (886).") var la: String?
    @ArgumentParser.Option(help: "csv or json.") var format: Format
    @ArgumentParser.Option(help: "open (default), closed or all.") var status: String = "open"

    func run() async throws {
        guard let statusFilter = SchoolQuery.StatusFilter(rawValue: status) else {
            throw ArgumentParser.ValidationError("--status must be open, closed or all")
        }
        let query = SchoolQuery(localAuthority: la, status: statusFilter)
        let schools = try await withDatabase { app in try await SchoolStore(app.db).all(query) }
        if let la, schools.isEmpty {
            printError("No schools in local authority '\(la)'.")
        }
        let out = FileHandle.standardOutput
        switch format {
        case .json:
            out.write(try SchoolExport.json(schools))
            out.write(Data("\n".utf8))
        case .csv:
            var text = SchoolCSVExport.header()
            for s in schools { text += SchoolCSVExport.row(s) }
            out.write(Data(text.utf8))
        }
    }
}

struct ExportResearchEngagement: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "research-engagement",
        abstract:
            "Write each school's research-engagement share as CSV to standard output (the /evidence/share figures).",
        discussion: """
            One row per school and academic year: urn,academic_year,engaged,staff,share. staff is the teachers the \
            register places at the school during the year; engaged those of them who recorded research engagement \
            there that year; share is empty (suppressed) when staff is under 10.
            """)

    @ArgumentParser.Option(help: "The academic year, like 2026/27 (default: the current one).") var year: String?

    func run() async throws {
        let today = Day.inUK(Date())
        var wanted = AcademicYear.containing(today)
        if let year {
            guard let y = AcademicYear(year) else {
                throw ArgumentParser.ValidationError("--year must look like 2026/27")
            }
            wanted = y
        }
        let chosen = wanted
        let cells = try await withDatabase { app in
            ResearchEngagementShare.bySchool(
                teachers: try await TeacherStore(app.db).all(),
                engagements: try await EvidenceStore(app.db).engagementPoints(), years: [chosen])
        }
        var text = "urn,academic_year,engaged,staff,share\n"
        for urn in cells.keys.sorted() {
            guard let c = cells[urn]?[wanted] else { continue }
            text += "\(urn),\(wanted),\(c.engaged),\(c.staff),\(c.share.map { String(format: "%.4f", $0) } ?? "")\n"
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

struct ExportSpecialists: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "specialists",
        abstract:
            "Write each school's specialist teaching per subject as CSV to standard output (the /specialists figures).",
        discussion: """
            One row per school and subject: urn,subject,hours,specialist_hours,share. hours is the weekly hours the \
            school's deployment gives the subject; specialist_hours those taught by a teacher with a relevant \
            qualification (for combined science, any of biology, chemistry or physics); share is empty (suppressed) \
            under 10 hours.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv
    }

    @ArgumentParser.Option(help: "csv.") var format: Format = .csv

    func run() async throws {
        let shares = try await withDatabase { app in try await DeploymentStore(app.db).shares() }
        FileHandle.standardOutput.write(Data(shares.csv().utf8))
    }
}

struct ExportAreas: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "areas",
        abstract: "Write the cold-spots page's supply-and-demand area table as CSV to standard output.",
        discussion: """
            One row per area (the partnership, each local authority, each district of a two-tier authority) for all \
            subjects together (subject empty) and then for each subject: placement places offered this planning \
            year and trainees living there, open maths and science vacancies and referrals, specialist hours, TSST \
            enrolments, internship places and applicants, and the ratios between them. Counts of 1 to 9 people and \
            ratios resting on fewer than 10 are left empty, as on the page (/coldspots/areas.csv).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv
    }

    @ArgumentParser.Option(help: "csv.") var format: Format = .csv

    func run() async throws {
        let tables = try await withDatabase { app in try await AreaTableData.tables(db: app.db, now: Date()) }
        FileHandle.standardOutput.write(Data(AreaTable.csv(tables).utf8))
    }
}

/// An error whose message is for the user, printed without a stack of types.
struct ValidationFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body`, turning an import refused for what it would remove into a message for the operator.
func refusalsAsFailures<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let refusal as ImportRefusal {
        throw ValidationFailure(refusal.description)
    }
}

/// The whole file, or an error that names it and says why it cannot be read.
func readFile(_ path: String) throws -> [UInt8] {
    do {
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    } catch {
        throw ValidationFailure("\(path): cannot be read (\(error.localizedDescription))")
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// A progress bar on standard error, drawn only when it is a terminal.
final class ProgressBar: @unchecked Sendable {
    let label: String
    let enabled = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var lastPercent = -1

    init(label: String) { self.label = label }

    func update(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        let percent = done * 100 / total
        lock.lock()
        defer { lock.unlock() }
        guard percent != lastPercent else { return }
        lastPercent = percent
        let width = 30
        let filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(percent)% \(done)/\(total)".utf8))
    }

    func finish() {
        guard enabled, lastPercent >= 0 else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

struct ColdSpots: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coldspots",
        abstract: "Getis-Ord Gi* hot and cold spots of a point file.",
        discussion: """
            Reads id,x,y,value (British National Grid metres, or longitude and latitude with --latlon; values \
            non-negative) and writes id,gi_z,p_norm,p_sim,class: z-score, two-sided normal p-value, folded \
            one-sided pseudo p-value from conditional permutations (empty without --permutations), and class -3..3 \
            (cold spot at 99/95/90% confidence .. hot spot at 90/95/99%; 0 not significant). Neighbours: every \
            point within --band metres (default 10000), or the --knn nearest.
            """)

    @ArgumentParser.Option(help: "The input CSV.") var input: String
    @ArgumentParser.Option(help: "Where to write the results CSV.") var output: String
    @ArgumentParser.Option(help: "Distance band in metres (default 10000).") var band: Double?
    @ArgumentParser.Option(help: "Use the k nearest neighbours instead of a distance band.") var knn: Int?
    @ArgumentParser.Option(help: "Conditional permutations for pseudo p-values (0: none).") var permutations = 0
    @ArgumentParser.Option(help: "Random seed for the permutations.") var seed: UInt64 = 12345
    @ArgumentParser.Option(help: "Control the false discovery rate at this level (Benjamini-Hochberg), e.g. 0.05.")
    var fdr: Double?
    @ArgumentParser.Flag(help: "Row-standardise the weights (the z-scores are the same; G is scaled).")
    var rowStandardised = false
    @ArgumentParser.Flag(help: "x and y are longitude and latitude (WGS84) rather than grid metres.") var latlon = false

    func validate() throws {
        if band != nil && knn != nil { throw ArgumentParser.ValidationError("Give --band or --knn, not both.") }
        if let band, !(band >= 1 && band <= GetisOrd.bandLimit) {
            throw ArgumentParser.ValidationError("--band must be from 1 to \(Int(GetisOrd.bandLimit)) metres.")
        }
        if let knn, !(1...1_000).contains(knn) { throw ArgumentParser.ValidationError("--knn must be from 1 to 1000.") }
        if let fdr, !(fdr > 0 && fdr < 1) {
            throw ArgumentParser.ValidationError("--fdr must be between 0 and 1, e.g. 0.05.")
        }
        if !(0...99_999).contains(permutations) {
            throw ArgumentParser.ValidationError("--permutations must be from 0 to 99999.")
        }
    }

    func run() async throws {
        let bytes = try readFile(input)
        let points: ColdSpotPoints
        do {
            points = try ColdSpotPoints.read(bytes, file: input, latitudeLongitude: latlon)
        } catch {
            throw ValidationFailure(error.description)
        }
        let options = GetisOrdOptions(
            neighbourhood: knn.map { .nearest(k: $0) } ?? .distanceBand(metres: band ?? 10_000),
            transform: rowStandardised ? .rowStandardised : .binary, permutations: permutations, seed: seed,
            multipleTesting: fdr.map { .falseDiscoveryRate(q: $0) } ?? .none)
        let results: [GiStar]
        do {
            results = try GetisOrd.compute(x: points.x, y: points.y, values: points.values, options: options)
        } catch {
            throw ValidationFailure("\(input): \(error.description)")
        }
        do {
            try Data(ColdSpotCSV.write(ids: points.ids, results: results).utf8).write(to: URL(fileURLWithPath: output))
        } catch {
            throw ValidationFailure("\(output): cannot be written (\(error.localizedDescription))")
        }
        let cold = results.filter { $0.classification < 0 }.count
        let hot = results.filter { $0.classification > 0 }.count
        print("\(results.count) points: \(cold) in cold spots, \(hot) in hot spots (\(output))")
    }
}

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage accounts from the command line.", subcommands: [CreateAdmin.self, ListUsers.self])
}

struct CreateAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-admin",
        abstract: "Make a person a partnership coordinator and print a one-time link to set their password.",
        discussion: """
            Creates the account if there is none with that email address. The link works once, for 7 days, and is \
            printed here only. Set PUBLIC_URL to the address people use to reach Chalkface so the link is right.
            """)

    @ArgumentParser.Argument(help: "Their email address.") var email: String
    @ArgumentParser.Option(help: "Their full name (for a new account).") var name: String?
    @ArgumentParser.Option(help: "The organisation's id or name (default: the partnership's first member).")
    var organisation: String?

    func run() async throws {
        let created = try await withDatabase { app in
            do {
                return try await UserAdministration.createAdmin(
                    app, email: email, name: name, organisation: organisation)
            } catch let error as Domain.ValidationError {
                throw ValidationFailure(error.problems.map { "\($0.field): \($0.message)" }.joined(separator: "\n"))
            }
        }
        print("\(created.person.email) is a partnership coordinator at \(created.organisation.name).")
        print("One-time link to set the password (valid for 7 days):")
        print(created.link)
    }
}

struct ListUsers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List every account with its status and roles (tab-separated).")

    func run() async throws {
        print(try await withDatabase { app in try await UserAdministration.list(app) })
    }
}

struct Allocate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Allocate trainees to placement schools for a placement-v1 instance folder.",
        discussion: """
            Reads meta.json, schools.csv and trainees.csv from the folder and writes trainee_id,school_id \
            (-1 when unplaced). optimal: the most trainees placed at the least total travel plus penalties \
            (exact minimum-cost flow). stable: trainee-proposing deferred acceptance where trainees rank schools \
            by distance and each school-subject ranks trainees by the instance's fixed score, without the mentor \
            limit, as the benchmark's stable-matching variant defines it. Prints placed count and total cost.
            """)

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case optimal, stable
    }

    @ArgumentParser.Option(help: "The instance folder.") var instance: String
    @ArgumentParser.Option(help: "Where to write the assignment CSV.") var output: String
    @ArgumentParser.Option(help: "optimal or stable.") var mode: Mode = .optimal

    func run() async throws {
        let parsed: PlacementInstance
        do {
            parsed = try PlacementInstance.read(
                meta: try readFile(instance + "/meta.json"), schools: try readFile(instance + "/schools.csv"),
                trainees: try readFile(instance + "/trainees.csv"), folder: instance)
        } catch let error as ImportFileError {
            throw ValidationFailure(error.description)
        }
        let clock = ContinuousClock()
        let started = clock.now
        let allocation: PlacementAllocator.Allocation
        switch mode {
        case .optimal:
            let (result, stats) = PlacementAllocator.optimal(parsed)
            allocation = result
            printError(
                "\(stats.arcs) candidate pairs; finding them \(seconds(stats.candidates)) s, network \(seconds(stats.network)) s, solve \(seconds(stats.solve)) s (\(stats.searches) searches, \(stats.settled) nodes settled\(stats.passPenalties.isEmpty ? "" : "; passes at penalties \(stats.passPenalties.map(String.init).joined(separator: ", "))\(stats.stoppedAtMaximumFlow ? ", stopped at a maximum flow" : " and the full penalty"), \(stats.rerouted) unplaced routed again"))"
            )
        case .stable: allocation = StableMatching.residentOptimal(parsed)
        }
        let elapsed = clock.now - started
        do {
            try PlacementInstance.assignmentCSV(allocation.school).write(
                toFile: output, atomically: true, encoding: .utf8)
        } catch {
            throw ValidationFailure("\(output): cannot be written: \(error.localizedDescription)")
        }
        print("placed \(allocation.placed) of \(parsed.trainees.count)")
        print(
            "total cost \(allocation.objective) (distance \(allocation.distance) m, \(parsed.trainees.count - allocation.placed) unplaced at \(parsed.unassignedPenalty) each)"
        )
        printError("allocated in \(seconds(elapsed)) s")
    }
}

/// A duration in seconds with four decimals, for timings printed to standard error.
func seconds(_ d: Duration) -> String {
    let c = d.components
    return String(format: "%.4f", Double(c.seconds) + Double(c.attoseconds) / 1e18)
}

struct Setup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Start a real partnership on an empty database: the partnership, its coordinating organisation and first coordinator.",
        discussion: """
            Creates no demo data. Prints a one-time link (7 days) for the coordinator to choose a password; set \
            PUBLIC_URL first so the link is right. Schools come from `chalkface import schools`, or pass \
            --bundled-data to load the bundled real schools and postcodes of the pilot regions (public data, no \
            people). Refused when the database holds a partnership already.
            """)

    @ArgumentParser.Option(help: "The partnership's name.") var partnership: String
    @ArgumentParser.Option(help: "The organisation its coordinators work for.") var organisation: String
    @ArgumentParser.Option(
        help: "That organisation's kind: \(OrganisationKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: String = OrganisationKind.localAuthority.rawValue
    @ArgumentParser.Option(help: "The first coordinator's email address.") var admin: String
    @ArgumentParser.Option(help: "The first coordinator's full name.") var adminName: String?
    @ArgumentParser.Option(help: "GSS codes of the local authorities the partnership serves, comma-separated.")
    var localAuthorities: String = ""
    @ArgumentParser.Flag(help: "Also load the bundled schools and postcodes of the pilot regions.") var bundledData =
        false

    func run() async throws {
        guard let kind = OrganisationKind(rawValue: kind) else {
            throw ValidationFailure(
                "--kind must be one of \(OrganisationKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let done = try await withDatabase { app in
            do {
                return try await UserAdministration.setup(
                    app, partnership: partnership, organisation: organisation, kind: kind,
                    localAuthorities: localAuthorities.split(separator: ",").map(String.init), email: admin,
                    adminName: adminName, bundledData: bundledData)
            } catch let error as Domain.ValidationError {
                throw ValidationFailure(error.problems.map { "--\($0.field): \($0.message)" }.joined(separator: "\n"))
            }
        }
        print("Created \(done.partnership.name), with \(done.admin.organisation.name) as its first member.")
        if let schools = done.schools { print("Loaded the bundled schools: \(schools.inserted) inserted.") }
        if done.postcodes > 0 { print("Loaded \(done.postcodes) postcodes.") }
        print("\(done.admin.person.email) is a partnership coordinator. One-time link to set the password (7 days):")
        print(done.admin.link)
    }
}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent snapshot of the whole database to a new file, while Chalkface serves.",
        discussion: """
            SQLite: a copy made with VACUUM INTO. PostgreSQL: pg_dump's custom format (needs PostgreSQL's client \
            tools). Restore with `chalkface restore FILE` into the same kind of database.
            """)

    @ArgumentParser.Argument(help: "The backup file to create.") var file: String

    func run() async throws {
        let location = try AppConfiguration.fromEnvironment().database
        do {
            try await withDatabase { app in try await Backup.write(location, database: app.db, to: file) }
        } catch let failure as Backup.Failure {
            throw ValidationFailure(failure.description)
        }
        print("Backed up \(location) to \(file).")
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup made by `chalkface backup` into an empty database.",
        discussion: """
            Stop the server first. The database named by DATABASE_URL must be new and empty, unless --replace, \
            which overwrites everything in it. Migrations bring an older backup up to date at the next start.
            """)

    @ArgumentParser.Argument(help: "The backup file.") var file: String
    @ArgumentParser.Flag(help: "Overwrite a database that already holds data.") var replace = false

    func run() async throws {
        let location = try AppConfiguration.fromEnvironment().database
        do {
            try await Backup.restore(location, from: file, replace: replace) {
                if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) { return true }
                return try await withDatabase(migrate: false) { try await Backup.isEmpty($0.db) }
            }
        } catch let failure as Backup.Failure {
            throw ValidationFailure(failure.description)
        }
        try await withDatabase { _ in }
        print("Restored \(file) into \(location).")
    }
}
