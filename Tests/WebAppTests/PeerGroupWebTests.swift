import Foundation
import SQLKit
import Testing
import Vapor

@testable import Domain
@testable import Persistence
@testable import WebApp

@Suite("Early-career peer groups: formed from the register, moved, locked, formed again; each ECT sees theirs")
struct PeerGroupWebTests {
    static func stored(_ app: Application) async throws -> [StoredPeerGroup] {
        let today = Day.inUK(app.clock.now())
        return try await PeerGroupStore(app.db).groups(year: .containing(today), term: .containing(today))
    }

    @Test(
        "The coordinator forms the demo ECTs' groups keeping every rule, moves a member, locks a group and forms the rest again"
    )
    func formMoveLockReform() async throws {
        try await withTestApp(seed: true, workforce: true) { app in
            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            #expect(try await coordinator.get("/dashboard").body.contains("href=\"/ects/peer-groups\""))
            let empty = try await coordinator.get("/ects/peer-groups")
            #expect(empty.status == .ok)
            #expect(
                empty.body.contains("Form this term&#39;s groups") || empty.body.contains("Form this term's groups"))

            // Bad sizes are named by field and nothing is formed.
            let bad = try await coordinator.submit(
                "/ects/peer-groups/form", from: "/ects/peer-groups", ["minimum": "abc", "maximum": "4"])
            #expect(bad.status == .badRequest)
            #expect(bad.body.contains("Enter the smallest group size"))
            let reversed = try await coordinator.submit(
                "/ects/peer-groups/form", from: "/ects/peer-groups", ["minimum": "6", "maximum": "5"])
            #expect(reversed.body.contains("The largest group must be at least the smallest (6)"))
            #expect(try await Self.stored(app).isEmpty)

            let formed = try await coordinator.submit(
                "/ects/peer-groups/form", from: "/ects/peer-groups",
                ["minimum": "5", "maximum": "8", "families": "true"])
            #expect(formed.status == .seeOther)
            #expect(formed.location?.hasPrefix("/ects/peer-groups?formed=Formed") == true)
            let groups = try await Self.stored(app)
            #expect(groups.count >= 2)
            // Everyone the page can place is in exactly one group, by the Domain's own check of the rules.
            let ects = try await PeerGroupController.ects(try Self.request(app)).filter { $0.member != nil }
            let all = groups.flatMap { $0.members.map(\.teacher) }
            #expect(Set(all) == Set(ects.map(\.record.id)))
            #expect(all.count == Set(all).count)
            let byID = Dictionary(uniqueKeysWithValues: ects.map { ($0.record.id, $0.member!) })
            let labelled = groups.flatMap { g in g.members.map { (String(g.number), byID[$0.teacher]!) } }
            let check = PeerGrouping(members: labelled.map(\.1), labels: labelled.map(\.0))
                .check(PeerGroupRules(minimum: 5, maximum: 8)!)
            #expect(check.mixedPhaseGroups == 0 && check.avoidableSameSchool == 0 && check.missing == 0)
            // Each meeting school is one of its members' schools.
            #expect(groups.allSatisfy { g in g.members.contains { $0.urn == g.meetingURN } })
            let page = try await coordinator.get("/ects/peer-groups")
            #expect(page.body.contains("id=\"peer-group-map-title\""))
            #expect(page.body.contains("id=\"group-1\""))

            // Move a member of group 1 to a group of the same phase.
            let first = try #require(groups.first)
            let phase = byID[first.members[0].teacher]!.phase
            let target = try #require(groups.dropFirst().first { g in byID[g.members[0].teacher]!.phase == phase })
            let mover = first.members[0].teacher
            let moved = try await coordinator.submit(
                "/ects/peer-groups/move", from: "/ects/peer-groups",
                [
                    "teacher": mover.uuidString.lowercased(),
                    "group-for-\(mover.uuidString.lowercased())": String(target.number),
                ])
            #expect(moved.status == .seeOther)
            let afterMove = try await Self.stored(app)
            #expect(afterMove.first { $0.id == target.id }!.members.contains { $0.teacher == mover })
            #expect(!afterMove.first { $0.id == first.id }!.members.contains { $0.teacher == mover })
            #expect(afterMove.allSatisfy { g in g.members.contains { $0.urn == g.meetingURN } })
            // Moving to the group it is in, or to no group, is refused by field.
            let same = try await coordinator.submit(
                "/ects/peer-groups/move", from: "/ects/peer-groups",
                [
                    "teacher": mover.uuidString.lowercased(),
                    "group-for-\(mover.uuidString.lowercased())": String(target.number),
                ])
            #expect(same.status == .badRequest)

            // Lock the target group, form again: it is kept exactly, numbered first; the rest are formed afresh.
            let page2 = try await coordinator.get("/ects/peer-groups")
            let token = try #require(page2.csrf)
            let locked = try await coordinator.request(
                .POST, "/ects/peer-groups/lock?group=\(target.number)&locked=true", form: ["csrf_token": token])
            #expect(locked.status == .seeOther)
            let before = try #require(try await Self.stored(app).first { $0.id == target.id })
            #expect(before.locked)
            _ = try await coordinator.submit(
                "/ects/peer-groups/form", from: "/ects/peer-groups",
                ["minimum": "5", "maximum": "8", "families": "true"])
            let reformed = try await Self.stored(app)
            let kept = try #require(reformed.first { $0.id == target.id })
            #expect(kept.number == 1 && kept.locked)
            #expect(kept.members.map(\.teacher) == before.members.map(\.teacher))
            let again = reformed.flatMap { $0.members.map(\.teacher) }
            #expect(Set(again) == Set(ects.map(\.record.id)) && again.count == Set(again).count)

            // A second locked group whose members have all left the register's ECTs is kept as stored, and
            // forming again still keeps the first locked group's meeting school among its members.
            let other = try #require(reformed.first { !$0.locked })
            try await PeerGroupStore(app.db).setLocked(other.id, true)
            let yesterday = Day.inUK(app.clock.now().addingTimeInterval(-86_400))
            for m in other.members {
                _ = try await TeacherStore(app.db).endPeriods(
                    teacher: m.teacher, urn: m.urn, on: yesterday, reason: .leftTeaching, schoolName: "test",
                    author: "test", at: Date())
            }
            _ = try await coordinator.submit(
                "/ects/peer-groups/form", from: "/ects/peer-groups",
                ["minimum": "5", "maximum": "8", "families": "true"])
            let third = try await Self.stored(app)
            let gone = try #require(third.first { $0.id == other.id })
            #expect(gone.meetingURN == other.meetingURN && gone.members.map(\.teacher) == other.members.map(\.teacher))
            let stillKept = try #require(third.first { $0.id == target.id })
            #expect(stillKept.members.map(\.teacher) == before.members.map(\.teacher))
            #expect(stillKept.members.contains { $0.urn == stillKept.meetingURN })

            // The audit log has the reads and the changes.
            let actions = try await app.db.sql.select().column("action").from("audit_events").all()
                .map { try $0.decode(column: "action", as: String.self) }
            #expect(actions.contains("peer-groups.read") && actions.contains("peer-groups.change"))

            // A teacher linked to a grouped ECT's record sees their group; the group page is the coordinator's.
            let teacherAccount = try app.demo(.teacher)
            let person = try await app.person(email: teacherAccount.email)
            try await TeacherLinkStore(app.db).unlink(.person(person.id))
            _ = try await TeacherLinkStore(app.db).link(
                .person(person.id), to: mover, detail: "test", author: "test", at: Date())
            let ect = Agent(app)
            try await ect.signIn(teacherAccount.email, teacherAccount.password)
            #expect(try await ect.get("/dashboard").body.contains("href=\"/ects/my-group\""))
            let mine = try await ect.get("/ects/my-group")
            #expect(mine.status == .ok)
            #expect(mine.body.contains("(you)"))
            #expect(mine.body.contains("group \(target.number == 1 ? 1 : kept.number)"))
            #expect(try await ect.get("/ects/peer-groups").status == .forbidden)
        }
    }

    @Test(
        "A group plans meetings and records who came and what was discussed; members see the next; a group that met is kept"
    )
    func meetings() async throws {
        try await withTestApp(seed: true, workforce: true) { app in
            let coordinator = Agent(app)
            try await coordinator.signIn(try app.demo(.coordinator).email, try app.demo(.coordinator).password)
            _ = try await coordinator.submit(
                "/ects/peer-groups/form", from: "/ects/peer-groups", ["minimum": "5", "maximum": "8"])
            let groups = try await Self.stored(app)
            let group = try #require(groups.first)
            let path = "/ects/peer-groups/\(group.id.uuidString.lowercased())/meetings"
            #expect(try await coordinator.get("/ects/peer-groups").body.contains("href=\"\(path)\""))

            // One of its members signs in: they plan the next meeting; a bad day is named by field.
            let teacherAccount = try app.demo(.teacher)
            let person = try await app.person(email: teacherAccount.email)
            let member = group.members[0].teacher
            try await TeacherLinkStore(app.db).unlink(.person(person.id))
            _ = try await TeacherLinkStore(app.db).link(
                .person(person.id), to: member, detail: "test", author: "test", at: Date())
            let ect = Agent(app)
            try await ect.signIn(teacherAccount.email, teacherAccount.password)
            #expect(try await ect.get(path).status == .ok)
            let today = Day.inUK(app.clock.now())
            let next = Day(ordinal: today.ordinal + 7)
            let yesterday = Day(ordinal: today.ordinal - 1)
            for bad in ["next thursday", "\(next) 17:00-16:00", "\(Day(ordinal: today.ordinal + 400)) 16:00-17:00", ""]
            {
                let refused = try await ect.submit(path, from: path, ["when": bad])
                #expect(refused.status == .badRequest, "\(bad)")
                #expect(refused.body.contains("href=\"#when\""), "\(bad)")
            }
            #expect(try await PeerGroupStore(app.db).meetings(group: group.id).isEmpty)
            #expect(try await ect.submit(path, from: path, ["when": "\(next) 16:00-17:30"]).status == .seeOther)
            #expect(try await ect.submit(path, from: path, ["when": "\(yesterday) 16:00-17:30"]).status == .seeOther)
            let mine = try await ect.get("/ects/my-group")
            #expect(mine.body.contains("Next meeting: </strong>\(next.longDescription), 16:00 to 17:30"))

            // Attendance: only on or after the day, only members, a short note.
            let planned = try await PeerGroupStore(app.db).meetings(group: group.id)
            let future = try #require(planned.first { $0.session.day == next })
            let past = try #require(planned.first { $0.session.day == yesterday })
            let futureKey = future.id.uuidString.lowercased()
            let early = try await ect.submit(
                "\(path)/\(futureKey)", from: path, ["attended-\(futureKey)": member.uuidString.lowercased()])
            #expect(early.status == .badRequest)
            let key = past.id.uuidString.lowercased()
            let stranger = try await ect.submit(
                "\(path)/\(key)", from: path, ["attended-\(key)": UUID().uuidString.lowercased()])
            #expect(stranger.status == .badRequest)
            #expect(stranger.body.contains("Choose members of the group"))
            let long = try await ect.submit(
                "\(path)/\(key)", from: path,
                [
                    "attended-\(key)": member.uuidString.lowercased(),
                    "note-\(key)": String(repeating: "a", count: 1_001),
                ])
            #expect(long.status == .badRequest)
            #expect(try await PeerGroupStore(app.db).meetings(group: group.id).allSatisfy { !$0.attendanceRecorded })
            let came = Set(group.members.prefix(3).map(\.teacher))
            // Checkboxes send one value per member who came.
            let token = try #require(try await ect.get(path).csrf)
            let raw =
                (["csrf_token=\(token)", "note-\(key)=Behaviour+routines+after+half+term."]
                + came.map { "attended-\(key)=\($0.uuidString.lowercased())" }).joined(separator: "&")
            let recorded = try await ect.request(
                .POST, "\(path)/\(key)", raw: raw, contentType: "application/x-www-form-urlencoded")
            #expect(recorded.status == .seeOther)
            let stored = try #require(
                try await PeerGroupStore(app.db).meetings(group: group.id).first { $0.id == past.id })
            #expect(stored.attendanceRecorded && stored.note == "Behaviour routines after half term.")
            #expect(stored.attended == came)
            #expect(try await ect.get(path).body.contains("Behaviour routines after half term."))

            // Not a member: refused. Another group's page is closed to this ECT.
            if let other = groups.first(where: { !$0.members.contains { $0.teacher == member } }) {
                #expect(
                    try await ect.get("/ects/peer-groups/\(other.id.uuidString.lowercased())/meetings").status
                        == .forbidden)
            }
            #expect(try await ect.get("/ects/peer-groups/\(UUID().uuidString)/meetings").status == .notFound)

            // Forming again keeps the group that met, with its members and its record.
            _ = try await coordinator.submit(
                "/ects/peer-groups/form", from: "/ects/peer-groups", ["minimum": "5", "maximum": "8"])
            let after = try #require(try await Self.stored(app).first { $0.id == group.id })
            #expect(after.locked && after.members.map(\.teacher) == group.members.map(\.teacher))
            #expect(try await PeerGroupStore(app.db).meetings(group: group.id).count == 2)
        }
    }

    static func request(_ app: Application) throws -> Request {
        Request(application: app, on: app.eventLoopGroup.next())
    }
}
