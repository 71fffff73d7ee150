//! Plain first-person statements of valuing (`pro`) and of disliking (`con`) each OCP
//! item: what a candidate's clauses are matched against. Each side has statements of
//! both polarities ("I like clear rules" / "I don't like working without rules"), so a
//! negated clause always has something of its own polarity to match.

/// The statements for one item, in the order of [`super::items`].
pub(crate) struct ItemStatements {
    pub id: &'static str,
    pub pro: &'static [&'static str],
    pub con: &'static [&'static str],
}

const fn s(
    id: &'static str,
    pro: &'static [&'static str],
    con: &'static [&'static str],
) -> ItemStatements {
    ItemStatements { id, pro, con }
}

/// Changing the wording changes results: bump [`STATEMENTS_VERSION`] with it.
pub(crate) const STATEMENTS_VERSION: &str = "ocp-statements-1";

pub(crate) static STATEMENTS: [ItemStatements; 54] = [
    s(
        "ocp_01",
        &[
            "I like being able to change plans when things change",
            "I enjoy flexible ways of working",
            "I don't like rigid plans that can't change",
            "I like figuring things out as I go",
        ],
        &[
            "I like a fixed plan that we stick to",
            "I don't like it when plans keep changing",
            "Constant changes of direction frustrate me",
        ],
    ),
    s(
        "ocp_02",
        &[
            "I adapt quickly when the situation changes",
            "I enjoy adjusting to new environments",
            "Change doesn't scare me",
        ],
        &[
            "I find it hard to adjust when things change",
            "I don't like having to adapt to new situations",
            "I prefer things to stay the way they are",
        ],
    ),
    s(
        "ocp_03",
        &[
            "I value a stable work environment",
            "I like it when things stay steady at work",
            "I don't like constant upheaval at work",
        ],
        &[
            "A stable routine bores me",
            "I don't need stability at work",
            "I get restless when everything stays the same",
        ],
    ),
    s(
        "ocp_04",
        &[
            "I like knowing what to expect each day",
            "I value predictable work and clear plans",
            "I don't like surprises at work",
        ],
        &[
            "I enjoy not knowing what each day will bring",
            "Predictable work bores me",
            "I like surprises and unexpected challenges",
        ],
    ),
    s(
        "ocp_05",
        &[
            "I love coming up with new ideas",
            "I enjoy building things nobody has done before",
            "I like to innovate and find creative solutions",
        ],
        &[
            "I prefer improving existing things to inventing new ones",
            "I don't really care about innovation",
            "Chasing new ideas all the time annoys me",
        ],
    ),
    s(
        "ocp_06",
        &[
            "I like to move fast when I see an opportunity",
            "I jump on new opportunities quickly",
            "I don't like missing a chance because we were too slow",
        ],
        &[
            "I prefer to wait and analyse before acting on an opportunity",
            "I don't like rushing into new opportunities",
            "I would rather take my time than jump at every chance",
        ],
    ),
    s(
        "ocp_07",
        &[
            "I love trying new approaches",
            "I enjoy experimenting and testing ideas",
            "I like running experiments to see what works",
        ],
        &[
            "I prefer proven methods I know work",
            "I don't like experimenting at work",
            "I would rather stick with what already works",
        ],
    ),
    s(
        "ocp_08",
        &[
            "I enjoy taking risks",
            "I'm not afraid to take a bold bet",
            "I like taking calculated risks for a big payoff",
        ],
        &[
            "I don't like taking risks",
            "I prefer to play it safe",
            "Taking risks makes me uncomfortable",
        ],
    ),
    s(
        "ocp_09",
        &[
            "I like to be careful and double check before acting",
            "I think things through carefully before I decide",
            "I avoid careless mistakes by being cautious",
        ],
        &[
            "Being too cautious slows me down",
            "I don't like overthinking every step",
            "I prefer moving fast over being careful",
        ],
    ),
    s(
        "ocp_10",
        &[
            "I like to work independently and make my own decisions",
            "I value freedom to decide how I do my work",
            "I don't like being micromanaged",
        ],
        &[
            "I prefer someone to tell me exactly what to do",
            "I don't like having to decide everything on my own",
            "Working on my own without guidance makes me uneasy",
        ],
    ),
    s(
        "ocp_11",
        &[
            "I like clear rules and procedures",
            "I always follow the process and the rules",
            "I feel comfortable when there are clear procedures",
        ],
        &[
            "I don't like following strict rules",
            "Rules and procedures feel like bureaucracy to me",
            "I hate bureaucracy and red tape",
        ],
    ),
    s(
        "ocp_12",
        &[
            "I like to analyse data before making decisions",
            "I enjoy digging into the numbers",
            "I make decisions based on careful analysis",
        ],
        &[
            "I trust my gut more than data",
            "I don't like spending time on analysis",
            "Spreadsheets and numbers bore me",
        ],
    ),
    s(
        "ocp_13",
        &[
            "I pay close attention to details",
            "I notice small mistakes others miss",
            "I don't like leaving loose ends",
        ],
        &[
            "I focus on the big picture and not the details",
            "Details bore me",
            "I don't like getting bogged down in details",
        ],
    ),
    s(
        "ocp_14",
        &[
            "I like to be precise and exact in my work",
            "Accuracy matters a lot to me",
            "I don't accept sloppy work",
        ],
        &[
            "Roughly right is good enough for me",
            "I don't need everything to be exact",
            "Being precise about everything feels tedious to me",
        ],
    ),
    s(
        "ocp_15",
        &[
            "I love working as part of a team",
            "I care more about team success than personal credit",
            "I enjoy being part of a close team",
        ],
        &[
            "I prefer working alone",
            "I don't like working in teams",
            "Teamwork frustrates me",
        ],
    ),
    s(
        "ocp_16",
        &[
            "I believe in sharing information openly",
            "I like it when everyone has access to the same information",
            "I don't like people keeping knowledge to themselves",
        ],
        &[
            "Information should be shared only on a need to know basis",
            "I don't like sharing my work before it is finished",
            "I prefer to keep information to myself",
        ],
    ),
    s(
        "ocp_17",
        &[
            "I like a company where everyone shares the same culture",
            "I value one common way of working across the whole company",
            "I don't like when every department has its own culture",
        ],
        &[
            "I like it when each team has its own culture",
            "I don't need everyone in the company to think the same way",
            "One culture for everyone feels stifling to me",
        ],
    ),
    s(
        "ocp_18",
        &[
            "I care about the people I work with",
            "People matter more to me than processes",
            "I like workplaces that put people first",
        ],
        &[
            "I focus on the task and not on people",
            "I don't care much about the social side of work",
            "For me work is just about getting the job done",
        ],
    ),
    s(
        "ocp_19",
        &[
            "Fairness is very important to me",
            "I want everyone to be treated fairly and equally",
            "I don't like favouritism at work",
        ],
        &[
            "I don't think everything at work needs to be fair",
            "I accept that some people get special treatment",
            "Fairness is not a big concern for me",
        ],
    ),
    s(
        "ocp_20",
        &[
            "I respect each person's rights and boundaries",
            "I value a workplace that respects individual rights",
            "I don't like it when people's privacy is ignored",
        ],
        &[
            "The company's needs come before individual rights",
            "I don't think personal boundaries matter much at work",
            "Individual rights are not my concern at work",
        ],
    ),
    s(
        "ocp_21",
        &[
            "I am tolerant of different views and backgrounds",
            "I welcome people who think differently from me",
            "I don't judge people for being different",
        ],
        &[
            "I find it hard to work with people who think differently",
            "I don't like working with people whose views differ from mine",
            "I prefer working only with people like me",
        ],
    ),
    s(
        "ocp_22",
        &[
            "I like an informal and relaxed atmosphere",
            "I prefer casual communication without formalities",
            "I don't like dress codes and formal hierarchy",
        ],
        &[
            "I prefer a formal and professional atmosphere",
            "I don't like it when work gets too casual",
            "I like formal meetings and a clear hierarchy",
        ],
    ),
    s(
        "ocp_23",
        &[
            "I am easy going and relaxed at work",
            "I like a laid back work environment",
            "I don't let small things stress me",
        ],
        &[
            "I am intense and push hard all the time",
            "Laid back workplaces frustrate me",
            "I don't like relaxed easy going teams",
        ],
    ),
    s(
        "ocp_24",
        &[
            "I stay calm under pressure",
            "I like a calm and quiet workplace",
            "I don't like panic and drama at work",
            "I want a calm workplace without drama",
        ],
        &[
            "I thrive in hectic high energy environments",
            "A calm quiet office bores me",
            "I don't like it when work is too quiet",
        ],
    ),
    s(
        "ocp_25",
        &[
            "I like helping and supporting my colleagues",
            "I value a supportive manager and team",
            "I don't like it when people are left to struggle alone",
        ],
        &[
            "I expect people to handle their problems themselves",
            "I don't like spending time supporting others",
            "Helping others keeps me from my own work",
        ],
    ),
    s(
        "ocp_26",
        &[
            "I like to be aggressive in going after what I want",
            "I push hard and fight to win",
            "I don't shy away from being forceful",
        ],
        &[
            "I don't like aggressive behaviour at work",
            "I prefer a gentle and cooperative style",
            "Aggressive people make me uncomfortable",
        ],
    ),
    s(
        "ocp_27",
        &[
            "I make decisions quickly and stick to them",
            "I like being decisive",
            "I don't like endless discussion without a decision",
        ],
        &[
            "I take a long time to make up my mind",
            "I don't like making fast decisions",
            "I prefer to keep options open rather than decide",
        ],
    ),
    s(
        "ocp_28",
        &[
            "I prefer doing over talking",
            "I like to get things moving right away",
            "I don't like long planning without action",
        ],
        &[
            "I prefer to plan thoroughly before doing anything",
            "I don't like jumping straight into action",
            "I would rather think than act quickly",
        ],
    ),
    s(
        "ocp_29",
        &[
            "I take the initiative without waiting to be asked",
            "I like starting new things on my own",
            "I don't wait for someone to tell me what to do",
        ],
        &[
            "I prefer to wait for clear instructions",
            "I don't like taking the lead on new things",
            "I do what I am asked and no more",
        ],
    ),
    s(
        "ocp_30",
        &[
            "I like to reflect on what went well and what didn't",
            "I take time to think deeply about my work",
            "I always step back to learn from what happened",
        ],
        &[
            "I don't spend much time looking back",
            "Reflection feels like a waste of time to me",
            "I prefer to keep moving rather than reflect",
        ],
    ),
    s(
        "ocp_31",
        &[
            "I am driven to achieve ambitious goals",
            "I love hitting and beating my targets",
            "I don't settle for average results",
        ],
        &[
            "I don't care much about achievements",
            "I don't need ambitious goals to be happy at work",
            "I prefer a steady job without pressure to achieve",
        ],
    ),
    s(
        "ocp_32",
        &[
            "I set high standards and expect a lot from others",
            "I like a demanding environment that pushes me",
            "I don't accept excuses",
        ],
        &[
            "I don't like demanding bosses",
            "I prefer a relaxed pace without pressure",
            "High pressure environments stress me out",
        ],
    ),
    s(
        "ocp_33",
        &[
            "I take full ownership of my work",
            "I take responsibility for my mistakes",
            "I don't blame others when things go wrong",
            "I want more ownership and responsibility",
        ],
        &[
            "I prefer shared responsibility so no one is singled out",
            "I don't like being personally accountable for results",
            "Being the one responsible makes me nervous",
        ],
    ),
    s(
        "ocp_34",
        &[
            "I like a place with high expectations for performance",
            "I expect excellent performance from myself and my team",
            "I don't like low standards",
        ],
        &[
            "I don't like high performance expectations",
            "I prefer a place where average work is fine",
            "Constant performance pressure worries me",
        ],
    ),
    s(
        "ocp_35",
        &[
            "I want to keep learning and growing professionally",
            "Career development matters a lot to me",
            "I don't want to stop growing in my career",
            "I want a job where I can learn new skills",
        ],
        &[
            "I don't need training or development opportunities",
            "I am happy staying in the same role for years",
            "Career growth is not important to me",
        ],
    ),
    s(
        "ocp_36",
        &[
            "I want to be paid well for good results",
            "I like bonuses tied to performance",
            "I don't like it when top performers earn the same as everyone",
        ],
        &[
            "Money is not what motivates me",
            "I don't care about performance bonuses",
            "I prefer a fixed salary over performance pay",
        ],
    ),
    s(
        "ocp_37",
        &[
            "Job security is very important to me",
            "I want a stable long term job",
            "I don't want to worry about losing my job",
        ],
        &[
            "Job security doesn't matter much to me",
            "I don't need a job for life",
            "I am fine with short contracts and uncertainty",
        ],
    ),
    s(
        "ocp_38",
        &[
            "I appreciate being praised for good work",
            "Recognition for good work motivates me",
            "I don't like it when good work goes unnoticed",
        ],
        &[
            "I don't need praise to do good work",
            "Public recognition makes me uncomfortable",
            "Praise doesn't matter to me",
        ],
    ),
    s(
        "ocp_39",
        &[
            "I prefer a harmonious workplace with little conflict",
            "I try to avoid conflict",
            "I don't like arguments at work",
        ],
        &[
            "A bit of conflict doesn't bother me",
            "I enjoy heated debates at work",
            "I don't mind arguments when they lead somewhere",
        ],
    ),
    s(
        "ocp_40",
        &[
            "I address conflicts directly and openly",
            "I prefer to talk about disagreements face to face",
            "I don't avoid difficult conversations",
        ],
        &[
            "I avoid confrontation",
            "I don't like difficult conversations",
            "I prefer to let disagreements settle on their own",
        ],
    ),
    s(
        "ocp_41",
        &[
            "I like making friends at work",
            "Some of my best friends are former colleagues",
            "I enjoy spending time with colleagues outside work",
        ],
        &[
            "I keep work and friendships separate",
            "I don't need to be friends with my colleagues",
            "I don't socialise with colleagues",
        ],
    ),
    s(
        "ocp_42",
        &[
            "It's important to me to fit in with the team",
            "I like feeling that I belong",
            "I don't like standing out from the group",
        ],
        &[
            "I don't care about fitting in",
            "I like standing out and being different",
            "Pressure to fit in frustrates me",
        ],
    ),
    s(
        "ocp_43",
        &[
            "I enjoy collaborating with other people",
            "I like working closely with colleagues on shared goals",
            "I don't like working in isolation",
        ],
        &[
            "I work best on my own",
            "I don't like collaborating on everything",
            "Constant collaboration frustrates me",
        ],
    ),
    s(
        "ocp_44",
        &[
            "I am passionate about my work",
            "I love what I do",
            "I get excited about my job every day",
        ],
        &[
            "A job is just a job for me",
            "I don't get excited about work",
            "I work for the paycheck and not for passion",
        ],
    ),
    s(
        "ocp_45",
        &[
            "I don't mind working long hours",
            "I am happy to stay late to get things done",
            "I often work evenings and weekends when needed",
        ],
        &[
            "I don't want to work long hours",
            "Work life balance is very important to me",
            "I avoid working late",
            "I want time for my family and hobbies after work",
        ],
    ),
    s(
        "ocp_46",
        &[
            "I like freedom from rules",
            "I enjoy working without many rules",
            "I don't like being constrained by many rules",
            "Rigid rules stifle me",
        ],
        &[
            "I like having clear rules to follow",
            "I don't like working without rules",
            "Working without clear rules makes me uneasy",
        ],
    ),
    s(
        "ocp_47",
        &[
            "Quality matters more to me than speed",
            "I care about doing high quality work",
            "I don't like shipping something that isn't good enough",
        ],
        &[
            "Good enough is fine for me",
            "I don't obsess over quality",
            "Speed matters more to me than polish",
        ],
    ),
    s(
        "ocp_48",
        &[
            "I like companies that stand out from the crowd",
            "I want to work somewhere unique and different",
            "I don't want to be just like every other company",
        ],
        &[
            "I prefer a conventional company",
            "I don't need the company to be special",
            "Being different for its own sake annoys me",
        ],
    ),
    s(
        "ocp_49",
        &[
            "A company's reputation matters a lot to me",
            "I want to work for a respected company",
            "I don't want to work for a company with a bad name",
        ],
        &[
            "I don't care what others think of the company",
            "Reputation doesn't matter to me",
            "A famous brand name is not important to me",
        ],
    ),
    s(
        "ocp_50",
        &[
            "I want my work to have a positive impact on society",
            "I care about social and environmental responsibility",
            "I don't want to work for a company that harms people",
        ],
        &[
            "Social responsibility isn't a priority for me",
            "I don't care about the company's social impact",
            "Business should focus on profit and nothing else",
        ],
    ),
    s(
        "ocp_51",
        &[
            "What matters to me is delivering results",
            "I focus on outcomes rather than effort",
            "I don't care how busy we look only what we deliver",
        ],
        &[
            "The process matters more to me than the outcome",
            "I don't like being judged only on results",
            "I prefer to be valued for effort and not only results",
        ],
    ),
    s(
        "ocp_52",
        &[
            "I want to work for a company with a clear mission",
            "I like knowing what the company stands for",
            "I don't like working without a clear purpose",
        ],
        &[
            "I don't need a company mission to do my job",
            "Mission statements don't matter to me",
            "I don't care about the company's philosophy",
        ],
    ),
    s(
        "ocp_53",
        &[
            "I love competing and winning",
            "I like a competitive environment",
            "I don't like losing to competitors",
        ],
        &[
            "I don't like competition between colleagues",
            "I prefer cooperation over competition",
            "Competitive environments stress me out",
        ],
    ),
    s(
        "ocp_54",
        &[
            "I am very organised and plan my work carefully",
            "I like structure and well organised processes",
            "I don't like chaos and disorganisation",
        ],
        &[
            "I don't like too much structure",
            "I work fine in a bit of chaos",
            "Heavy planning and structure feel stifling to me",
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::culture::items;

    #[test]
    fn one_entry_per_item_in_order() {
        for (st, it) in STATEMENTS.iter().zip(items()) {
            assert_eq!(st.id, it.id);
            assert!(st.pro.len() >= 3 && st.con.len() >= 3, "{}", st.id);
        }
    }

    #[test]
    fn every_side_has_both_polarities_or_a_reason() {
        use crate::culture::text::is_negative;
        // Each item's statements must not all share one polarity, else a negated clause
        // about the item could only ever match the other side.
        for st in &STATEMENTS {
            let all: Vec<bool> = st
                .pro
                .iter()
                .chain(st.con)
                .map(|t| is_negative(t))
                .collect();
            assert!(
                all.iter().any(|&n| n),
                "{} has no negative statement",
                st.id
            );
            assert!(
                all.iter().any(|&n| !n),
                "{} has no positive statement",
                st.id
            );
        }
    }
}
