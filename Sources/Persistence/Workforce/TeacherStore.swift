import Domain
import FluentKit
import Foundation
import SQLKit

/// A data version for the register, so a process holding a copy of it knows when the copy is out of date.
struct AddTeacherDataVersion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql.insert(into: "data_versions").columns("name", "version").values(
            SQLBind(DataVersions.teachers), SQLBind(0)
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.delete(from: "data_versions").where("name", .equal, DataVersions.teachers).run()
    }
}

/// The teacher register: one record per teacher, their dated periods at schools and their timeline.
struct CreateTeacherRegister: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("teachers")
            .id()
            .field("trn", .string)
            .field("first_name", .string, .required)
            .field("last_name", .string, .required)
            .field("birth_year", .int)
            .field("qts_on", .string)
            .field("itt_provider", .string)
            .field("route", .string)
            .field("specialisms", .string, .required)
            .field("generated", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "trn")
            .create()
        try await database.schema("teacher_periods")
            .id()
            .field("teacher_id", .uuid, .required, .references("teachers", "id", onDelete: .cascade))
            .field("urn", .int, .required)
            .field("role", .string, .required)
            .field("working_pattern", .string, .required)
            .field("fte", .double, .required)
            .field("started_on", .string, .required)
            .field("finished_on", .string)
            .field("end_reason", .string)
            .unique(on: "teacher_id", "urn", "role", "started_on")
            .create()
        try await database.sql.raw("CREATE INDEX teacher_periods_urn ON teacher_periods (urn)").run()
        try await database.schema("teacher_events")
            .id()
            .field("teacher_id", .uuid, .required, .references("teachers", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("happened_on", .string)
            .field("detail", .string, .required)
            .field("recorded_at", .datetime, .required)
            .field("recorded_by", .string, .required)
            .create()
        try await database.sql.raw("CREATE INDEX teacher_events_teacher ON teacher_events (teacher_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("teacher_events").delete()
        try await database.schema("teacher_periods").delete()
        try await database.schema("teachers").delete()
    }
}

public struct TeacherStore: Sendable {
    let database: any Database

    public init(_ database: any Database) { self.database = database }

    public struct ImportResult: Sendable, Hashable {
        public var inserted = 0
        public var updated = 0
        public var unchanged = 0
        public var periodsAdded = 0
        public var periodsChanged = 0

        public var report: String {
            "\(inserted) teachers inserted, \(updated) updated, \(unchanged) unchanged, 0 rejected; \(periodsAdded) periods added, \(periodsChanged) changed"
        }
    }

    /// Upserts teachers read from a file: by TRN, or without one by name and birth year; periods merged, never
    /// duplicated. Every problem (an unknown school, a period that overlaps a stored one) is named by line, and
    /// then nothing is written. Run it in a transaction.
    public func importEntries(
        _ entries: [TeacherFile.Entry], file: String, author: String, generated: Bool = false, at now: Date,
        progress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> ImportResult {
        let sql = try database.sql
        // Schools named in the file must be known.
        let urns = Set(entries.flatMap { $0.record.periods.map(\.urn) })
        var schools: [Int: String] = [:]
        for chunk in Array(urns).chunked(900) {
            for row in try await sql.select().column("urn").column("name").from("schools")
                .where("urn", .in, SQLBind.group(chunk)).all()
            {
                schools[try row.decode(column: "urn", as: Int.self)] = try row.decode(column: "name", as: String.self)
            }
        }
        var problems: [ImportFileError.Problem] = []
        var problemCount = 0
        func problem(_ line: Int, _ field: String, _ message: String) {
            problemCount += 1
            if problems.count < ImportFileError.problemsKept {
                problems.append(.init(line: line, field: field, message: message))
            }
        }
        for entry in entries {
            for period in entry.record.periods where schools[period.urn] == nil {
                problem(entry.lines[period] ?? entry.firstLine, "urn", "no school has URN \(period.urn)")
            }
        }
        // Stored teachers the file is about.
        var existing: [TeacherFile.Key: TeacherRecord] = [:]
        let trns = entries.compactMap { $0.record.trn?.value }
        for chunk in trns.chunked(900) {
            for record in try await records(where: { $0.where("trn", .in, SQLBind.group(chunk)) }) {
                existing[.init(record)] = record
            }
        }
        if entries.contains(where: { $0.record.trn == nil }) {
            for record in try await records(where: { $0.where("trn", .is, SQLLiteral.null) }) {
                existing[.init(record)] = record
            }
        }
        var result = ImportResult()
        var newTeachers: [TeacherRecord] = []
        var changedTeachers: [TeacherRecord] = []
        var newPeriods: [(UUID, ServicePeriod)] = []
        var changedPeriods: [(UUID, ServicePeriod)] = []
        var events: [(UUID, TeacherEvent)] = []
        for entry in entries {
            let key = TeacherFile.Key(entry.record)
            guard var stored = existing[key] else {
                newTeachers.append(entry.record)
                result.inserted += 1
                events.append(
                    (
                        entry.record.id,
                        TeacherEvent(
                            kind: .recordCreated, on: nil, detail: "Record created from \(file)", recordedAt: now,
                            recordedBy: author)
                    ))
                for period in entry.record.periods {
                    newPeriods.append((entry.record.id, period))
                    result.periodsAdded += 1
                    events += TeacherEvent.events(
                        for: period, replacing: nil, schoolName: schools[period.urn] ?? "URN \(period.urn)", at: now,
                        by: author
                    ).map { (entry.record.id, $0) }
                }
                continue
            }
            var changed = false
            var details = stored
            details.firstName = entry.record.firstName
            details.lastName = entry.record.lastName
            details.birthYear = entry.record.birthYear ?? stored.birthYear
            details.qtsOn = entry.record.qtsOn ?? stored.qtsOn
            details.ittProvider = entry.record.ittProvider ?? stored.ittProvider
            details.route = entry.record.route ?? stored.route
            details.specialisms =
                stored.specialisms + entry.record.specialisms.filter { !stored.specialisms.contains($0) }
            if !details.sameDetails(as: stored) {
                changed = true
                changedTeachers.append(details)
                events.append(
                    (
                        stored.id,
                        TeacherEvent(
                            kind: .detailsChanged, on: nil, detail: "Details updated from \(file)", recordedAt: now,
                            recordedBy: author)
                    ))
                let periods = stored.periods
                stored = details
                stored.periods = periods
            }
            for period in entry.record.periods {
                let before = stored.periods.first {
                    $0.urn == period.urn && $0.role == period.role && $0.startedOn == period.startedOn
                }
                do {
                    guard try stored.merge(period) else { continue }
                } catch {
                    problem(entry.lines[period] ?? entry.firstLine, "started_on", error.description)
                    continue
                }
                changed = true
                if before == nil {
                    newPeriods.append((stored.id, period))
                    result.periodsAdded += 1
                } else {
                    changedPeriods.append((stored.id, period))
                    result.periodsChanged += 1
                }
                events += TeacherEvent.events(
                    for: period, replacing: before, schoolName: schools[period.urn] ?? "URN \(period.urn)", at: now,
                    by: author
                ).map { (stored.id, $0) }
            }
            if changed { result.updated += 1 } else { result.unchanged += 1 }
        }
        if problemCount > 0 { throw ImportFileError(file: file, problems: problems, problemCount: problemCount) }

        try await sql.insertBatched(
            into: "teachers",
            columns: [
                "id", "trn", "first_name", "last_name", "birth_year", "qts_on", "itt_provider", "route", "specialisms",
                "generated", "created_at", "updated_at",
            ], count: newTeachers.count
        ) { i in
            let t = newTeachers[i]
            return [
                SQLBind(t.id), bindOrNull(t.trn?.value), SQLBind(t.firstName), SQLBind(t.lastName),
                bindOrNull(t.birthYear), bindOrNull(t.qtsOn?.description), bindOrNull(t.ittProvider),
                bindOrNull(t.route), SQLBind(t.specialisms.map(\.rawValue).joined(separator: ";")), SQLBind(generated),
                SQLBind(now), SQLBind(now),
            ]
        } progress: {
            progress($0, newTeachers.count + changedTeachers.count)
        }
        for (i, t) in changedTeachers.enumerated() {
            progress(newTeachers.count + i + 1, newTeachers.count + changedTeachers.count)
            try await sql.update("teachers")
                .set("first_name", to: SQLBind(t.firstName)).set("last_name", to: SQLBind(t.lastName))
                .set("birth_year", to: bindOrNull(t.birthYear)).set("qts_on", to: bindOrNull(t.qtsOn?.description))
                .set("itt_provider", to: bindOrNull(t.ittProvider)).set("route", to: bindOrNull(t.route))
                .set("specialisms", to: SQLBind(t.specialisms.map(\.rawValue).joined(separator: ";")))
                .set("updated_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(t.id)).run()
        }
        try await insertPeriods(newPeriods)
        for (teacher, p) in changedPeriods {
            try await sql.update("teacher_periods")
                .set("working_pattern", to: SQLBind(p.workingPattern.rawValue)).set("fte", to: SQLBind(p.fte))
                .set("finished_on", to: bindOrNull(p.finishedOn?.description))
                .set("end_reason", to: bindOrNull(p.endReason?.rawValue))
                .where("teacher_id", .equal, SQLBind(teacher)).where("urn", .equal, SQLBind(p.urn))
                .where("role", .equal, SQLBind(p.role.rawValue))
                .where("started_on", .equal, SQLBind(p.startedOn.description)).run()
        }
        try await insertEvents(events)
        if result.inserted + result.updated > 0 { try await DataVersions(database).bump(DataVersions.teachers) }
        return result
    }

    func insertPeriods(_ periods: [(UUID, ServicePeriod)]) async throws {
        try await database.sql.insertBatched(
            into: "teacher_periods",
            columns: [
                "id", "teacher_id", "urn", "role", "working_pattern", "fte", "started_on", "finished_on", "end_reason",
            ], count: periods.count
        ) { i in
            let (teacher, p) = periods[i]
            return [
                SQLBind(UUID()), SQLBind(teacher), SQLBind(p.urn), SQLBind(p.role.rawValue),
                SQLBind(p.workingPattern.rawValue), SQLBind(p.fte), SQLBind(p.startedOn.description),
                bindOrNull(p.finishedOn?.description), bindOrNull(p.endReason?.rawValue),
            ]
        }
    }

    func insertEvents(_ events: [(UUID, TeacherEvent)]) async throws {
        try await database.sql.insertBatched(
            into: "teacher_events",
            columns: ["id", "teacher_id", "kind", "happened_on", "detail", "recorded_at", "recorded_by"],
            count: events.count
        ) { i in
            let (teacher, e) = events[i]
            return [
                SQLBind(UUID()), SQLBind(teacher), SQLBind(e.kind.rawValue), bindOrNull(e.on?.description),
                SQLBind(e.detail), SQLBind(e.recordedAt), SQLBind(e.recordedBy),
            ]
        }
    }

    /// Teachers (with their periods) matching a filter on the teachers table.
    func records(where filter: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [TeacherRecord] {
        let sql = try database.sql
        var byID: [UUID: TeacherRecord] = [:]
        var order: [UUID] = []
        for row in try await filter(sql.select().column("*").from("teachers")).all() {
            let t = try Self.teacher(row)
            byID[t.id] = t
            order.append(t.id)
        }
        guard !byID.isEmpty else { return [] }
        let ids = Array(byID.keys)
        for chunk in ids.chunked(900) {
            for row in try await sql.select().column("*").from("teacher_periods")
                .where("teacher_id", .in, SQLBind.group(chunk)).all()
            {
                let id = try row.decode(column: "teacher_id", as: UUID.self)
                byID[id]?.periods.append(try Self.period(row))
            }
        }
        return order.compactMap { id in
            byID[id].map { t in
                var t = t
                t.periods.sort {
                    ($0.startedOn, $0.urn, $0.role.rawValue) < ($1.startedOn, $1.urn, $1.role.rawValue)
                }
                return t
            }
        }
    }

    /// Every teacher in the register with their periods, for the retention analysis.
    public func all() async throws -> [TeacherRecord] {
        let sql = try database.sql
        var byID: [UUID: Int] = [:]
        var teachers: [TeacherRecord] = []
        for row in try await sql.select().column("*").from("teachers").all() {
            let t = try Self.teacher(row)
            byID[t.id] = teachers.count
            teachers.append(t)
        }
        for row in try await sql.select().column("*").from("teacher_periods").all() {
            if let i = byID[try row.decode(column: "teacher_id", as: UUID.self)] {
                teachers[i].periods.append(try Self.period(row))
            }
        }
        // In time order, whatever order the database returns rows in.
        for i in teachers.indices where teachers[i].periods.count > 1 {
            teachers[i].periods.sort {
                ($0.startedOn, $0.urn, $0.role.rawValue) < ($1.startedOn, $1.urn, $1.role.rawValue)
            }
        }
        return teachers
    }

    /// How many teachers the register holds.
    public func count() async throws -> Int {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("teachers")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// How many of the register's teachers are generated demo records.
    public func generatedCount() async throws -> Int {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("teachers")
            .where("generated", .equal, SQLBind(true)).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// One teacher with their periods and timeline (newest first).
    public func teacher(_ id: UUID) async throws -> (record: TeacherRecord, events: [TeacherEvent], generated: Bool)? {
        let sql = try database.sql
        guard let record = try await records(where: { $0.where("id", .equal, SQLBind(id)) }).first else { return nil }
        let generated =
            try await sql.select().column("generated").from("teachers").where("id", .equal, SQLBind(id)).first()?
            .decode(column: "generated", as: Bool.self) ?? false
        let events = try await sql.select().column("*").from("teacher_events").where("teacher_id", .equal, SQLBind(id))
            .all().map { row in
                TeacherEvent(
                    kind: TeacherEvent.Kind(rawValue: try row.decode(column: "kind", as: String.self))
                        ?? .detailsChanged,
                    on: try row.decode(column: "happened_on", as: String?.self).flatMap(Day.init),
                    detail: try row.decode(column: "detail", as: String.self),
                    recordedAt: try row.decode(column: "recorded_at", as: Date.self),
                    recordedBy: try row.decode(column: "recorded_by", as: String.self))
            }
        // The story in the order it happened: dated events by their day, the rest when they were recorded.
        let sorted = events.sorted {
            let a = $0.on?.startInUK ?? $0.recordedAt
            let b = $1.on?.startInUK ?? $1.recordedAt
            return a != b ? a > b : $0.recordedAt > $1.recordedAt
        }
        return (record, sorted, generated)
    }

    /// Teachers with a period at the school: current staff first, then former, by name.
    public func staff(urn: Int) async throws -> [TeacherRecord] {
        let sql = try database.sql
        let ids = try await sql.select().distinct().column("teacher_id").from("teacher_periods")
            .where("urn", .equal, SQLBind(urn)).all().map { try $0.decode(column: "teacher_id", as: UUID.self) }
        var out: [TeacherRecord] = []
        for chunk in ids.chunked(900) {
            out += try await records(where: { $0.where("id", .in, SQLBind.group(chunk)) })
        }
        return out.sorted { ($0.lastName, $0.firstName) < ($1.lastName, $1.firstName) }
    }

    /// Ends the teacher's open periods at the school on `day` for `reason`; the periods and the timeline record
    /// it. Returns the periods ended; throws when the day is before one of them started. Run it in a transaction.
    public func endPeriods(
        teacher id: UUID, urn: Int, on day: Day, reason: EndReason, schoolName: String, author: String, at now: Date
    ) async throws -> [ServicePeriod] {
        guard let record = try await records(where: { $0.where("id", .equal, SQLBind(id)) }).first else { return [] }
        let open = record.periods.filter { $0.urn == urn && $0.finishedOn == nil }
        if let early = open.first(where: { day < $0.startedOn }) {
            throw ValidationError(
                [
                    .init(
                        field: "finished_on",
                        message:
                            "The last day must be on or after the period started (\(early.startedOn.longDescription))")
                ])
        }
        var events: [(UUID, TeacherEvent)] = []
        for p in open {
            var ended = p
            ended.finishedOn = day
            ended.endReason = reason
            try await database.sql.update("teacher_periods")
                .set("finished_on", to: SQLBind(day.description)).set("end_reason", to: SQLBind(reason.rawValue))
                .where("teacher_id", .equal, SQLBind(id)).where("urn", .equal, SQLBind(urn))
                .where("role", .equal, SQLBind(p.role.rawValue))
                .where("started_on", .equal, SQLBind(p.startedOn.description)).run()
            events += TeacherEvent.events(for: ended, replacing: p, schoolName: schoolName, at: now, by: author)
                .map { (id, $0) }
        }
        try await insertEvents(events)
        if !open.isEmpty { try await DataVersions(database).bump(DataVersions.teachers) }
        return open
    }

    /// Records a change worked out by `TeacherRecord.change`: the old period updated (new hours, or ended the
    /// day before the new role), the new role's period added, and the timeline told, dated `from`. Run it in a
    /// transaction.
    public func apply(
        _ change: TeacherRecord.PeriodChange, teacher id: UUID, from: Day, schoolName: String, author: String,
        at now: Date
    ) async throws {
        let old = change.old
        let p = change.changed
        try await database.sql.update("teacher_periods")
            .set("working_pattern", to: SQLBind(p.workingPattern.rawValue)).set("fte", to: SQLBind(p.fte))
            .set("finished_on", to: bindOrNull(p.finishedOn?.description))
            .where("teacher_id", .equal, SQLBind(id)).where("urn", .equal, SQLBind(old.urn))
            .where("role", .equal, SQLBind(old.role.rawValue))
            .where("started_on", .equal, SQLBind(old.startedOn.description)).run()
        var events = TeacherEvent.events(for: p, replacing: old, schoolName: schoolName, at: now, by: author)
            .map { e -> TeacherEvent in
                var e = e
                if e.kind == .periodChanged { e.on = from }
                return e
            }
        if let started = change.started {
            try await insertPeriods([(id, started)])
            events += TeacherEvent.events(for: started, replacing: nil, schoolName: schoolName, at: now, by: author)
        }
        try await insertEvents(events.map { (id, $0) })
        try await DataVersions(database).bump(DataVersions.teachers)
    }

    /// Teachers trained by a provider (by its name as the register records it).
    public func trained(by provider: String) async throws -> [TeacherRecord] {
        try await records(where: { $0.where("itt_provider", .equal, SQLBind(provider)) })
    }

    static func teacher(_ row: any SQLRow) throws -> TeacherRecord {
        TeacherRecord(
            id: try row.decode(column: "id", as: UUID.self),
            trn: try row.decode(column: "trn", as: String?.self).flatMap(TRN.init),
            firstName: try row.decode(column: "first_name", as: String.self),
            lastName: try row.decode(column: "last_name", as: String.self),
            birthYear: try row.decode(column: "birth_year", as: Int?.self),
            qtsOn: try row.decode(column: "qts_on", as: String?.self).flatMap(Day.init),
            ittProvider: try row.decode(column: "itt_provider", as: String?.self),
            route: try row.decode(column: "route", as: String?.self),
            specialisms: try row.decode(column: "specialisms", as: String.self).split(separator: ";")
                .compactMap { TeachingSubject(rawValue: String($0)) })
    }

    static func period(_ row: any SQLRow) throws -> ServicePeriod {
        guard let role = StaffRole(rawValue: try row.decode(column: "role", as: String.self)),
            let pattern = WorkingPattern(rawValue: try row.decode(column: "working_pattern", as: String.self)),
            let started = Day(try row.decode(column: "started_on", as: String.self))
        else { throw StoredDataError("a teacher's period has an unknown role, working pattern or start") }
        return ServicePeriod(
            urn: try row.decode(column: "urn", as: Int.self), role: role, workingPattern: pattern,
            fte: try row.decode(column: "fte", as: Double.self), startedOn: started,
            finishedOn: try row.decode(column: "finished_on", as: String?.self).flatMap(Day.init),
            endReason: try row.decode(column: "end_reason", as: String?.self).flatMap(EndReason.init))
    }
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
