import ArgumentParser
import Domain
import Foundation
import Persistence
import Vapor
import WebApp

/// `chalkface ects areas` and `chalkface ects paths`: the early-career figures the pages show, as CSV.
struct ECTsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ects", abstract: "Early-career teachers' figures, as the pages show them, as CSV.",
        subcommands: [ECTAreas.self, ECTPaths.self])
}

struct ECTAreas: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "areas",
        abstract: "This term's development areas against the CPD catalogue (the /ects/development/areas table).",
        discussion: """
            One row per Early Career Framework area: area,ects,profiled,share,programmes,places,taken_up. Counts of \
            1 to 9 teachers, and shares resting on them, are empty.
            """)

    func run() async throws {
        let text = try await withDatabase { app in
            EarlyCareerFigures.areasCSV(
                try await EarlyCareerFigures.demand(app.db, today: Day.inUK(Date())))
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

struct ECTPaths: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paths",
        abstract: "Where early-career teachers with similar starts were after 1, 3 and 5 years (the career page).",
        discussion: """
            years,people,teaching,leading,mentoring,moved_school for ECTs of the subject, or of its phase when the \
            subject has fewer than 10 who started three or more years ago (the basis is printed to standard error). \
            Rows resting on fewer than 10 people are empty.
            """)

    @ArgumentParser.Option(help: "The subject key (primary, mathematics, physics, ...).") var subject: String

    func validate() throws {
        if TeachingSubject(rawValue: subject) == nil {
            throw ArgumentParser.ValidationError(
                "--subject must be one of \(TeachingSubject.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let subject = TeachingSubject(rawValue: subject)!
        let (basis, text) = try await withDatabase { app in
            let register = try await TeacherStore(app.db).all()
            let (basis, rows) = EarlyCareerFigures.paths(register, subject: subject, today: Day.inUK(Date()))
            return (basis.label, EarlyCareerFigures.pathsCSV(rows))
        }
        FileHandle.standardError.write(Data("Peers: \(basis)\n".utf8))
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
