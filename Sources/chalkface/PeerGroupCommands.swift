import ArgumentParser
import Domain
import Foundation

struct PeerGroupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peer-groups",
        abstract: "Form early-career teachers' peer groups from a file of ECTs.",
        discussion: """
            The input is id,school,phase,subject,x,y (school = URN; phase primary or secondary; subject a subject \
            key, primary for primary ECTs; x, y the school's British National Grid metres). Writes \
            id,group,meeting_school. Groups are of one phase and min to max members, with no two ECTs of one \
            school in a group unless the school has more ECTs of the phase than there are groups of the phase, \
            and the least total travel found: a member travels straight to the group's meeting school, the \
            member school nearest in total to all members (the number of groups is chosen for less travel; \
            --fewest-groups makes as few as --max allows). With \
            --subject-families, secondary groups are of one subject family wherever a family has at least min \
            ECTs (about twice the travel on the benchmark's sets). Prints the total and mean travel and every \
            rule it could not keep.
            """)

    @Option(help: "The ECTs file.") var input: String
    @Option(help: "Where to write id,group,meeting_school.") var output: String
    @Option(help: "The smallest group.") var min: Int = 5
    @Option(help: "The largest group.") var max: Int = 8
    @Flag(help: "Group secondary ECTs by subject family where a family has at least --min ECTs.")
    var subjectFamilies = false
    @Flag(help: "As few groups as --max allows, instead of the number of groups with less travel.")
    var fewestGroups = false

    func run() async throws {
        guard
            let rules = PeerGroupRules(
                minimum: min, maximum: max, subjectFamilies: subjectFamilies, fewestGroups: fewestGroups)
        else {
            throw ValidationFailure(
                "--min and --max must be from \(PeerGroupRules.sizes.lowerBound) to \(PeerGroupRules.sizes.upperBound), min no more than max"
            )
        }
        let members: [PeerGroupMember]
        do {
            members = try PeerGroupMember.read(try readFile(input), file: input)
        } catch let error as ImportFileError {
            throw ValidationFailure(error.description)
        }
        let clock = ContinuousClock()
        let started = clock.now
        let grouping = PeerGrouping.form(members, rules: rules)
        let elapsed = clock.now - started
        do {
            try grouping.csv().write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            throw ValidationFailure("\(output): cannot be written: \(error.localizedDescription)")
        }
        let check = grouping.check(rules)
        print("\(members.count) ECTs in \(grouping.groups.count) groups")
        print(String(format: "total travel %.1f m, mean %.1f m", grouping.totalTravel, grouping.meanTravel))
        print(
            "size violations \(check.sizeViolations), mixed-phase groups \(check.mixedPhaseGroups), avoidable same-school members \(check.avoidableSameSchool), mixed-family secondary groups \(check.mixedFamilySecondaryGroups)"
        )
        if grouping.unkept.isEmpty {
            print("every rule kept")
        } else {
            for line in grouping.unkept { print("not kept: \(line)") }
        }
        printError("formed in \(seconds(elapsed)) s")
    }
}
