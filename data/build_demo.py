# ruff: noqa: E501
"""Build the bundled demo action plans in ``data/``.

Run from the repository root::

    .venv/bin/python data/build_demo.py

Writes:

* ``data/trafford_vawc_delivery_plan_2011_14.xlsx`` - the delivery plan table from
  Trafford's Reducing Violence Against Women and Children (VAWC) Strategy 2011-2014.
* ``data/trafford_domestic_abuse_action_plan.csv`` - the Trafford Domestic Abuse
  Steering Group action plan.

The source text of every action is transcribed below as it appears in the source
documents (typos included). Only the fields named ``demo_*`` are invented: they are
illustrative RAG ratings and progress updates, and every row that carries one is
flagged in the ``Demo note`` column. Standard library + openpyxl only.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

DATA_DIR = Path(__file__).resolve().parent
XLSX_PATH = DATA_DIR / "trafford_vawc_delivery_plan_2011_14.xlsx"
CSV_PATH = DATA_DIR / "trafford_domestic_abuse_action_plan.csv"

DEMO_NOTE = "Demo RAG/progress added for illustration; not in the source plan."

# ---------------------------------------------------------------------------
# 1. Reducing Violence Against Women and Children Delivery Plan 2011/2014
# ---------------------------------------------------------------------------
# Source table columns: Actions | Owner | Deadline | RAG | Progress Report |
# Resourcing | NI / STA | Strategy Link. RAG and the last five columns are empty
# in the source for every row. Placeholder rows 1.5, 1.6 and 2.4 (a number and
# nothing else) are not actions and are left out.
#
# Each action: (ref, action, owner, deadline, demo_rag, demo_progress).
# demo_rag / demo_progress of None means "left as in the source (blank)".

VAWC_HEADER = [
    "Objective",
    "Ref",
    "Action",
    "Owner",
    "Deadline",
    "RAG",
    "Progress Report",
    "Resourcing",
    "NI / STA",
    "Strategy Link",
    "Demo note",
]

VAWC_PLAN: list[tuple[str, list[tuple[str, str, str, str, str | None, str | None]]]] = [
    (
        "Objective 1 – Prevention",
        [
            (
                "1.1",
                "Challenge attitudes of tolerance to domestic abuse and sexual violence and abuse by adopting a positive media strategy",
                "All plus Trafford Comms’ Team",
                "April 2012",
                "Amber",
                "Media protocol drafted with the Comms Team and a first positive-messaging press release issued; wider campaign plan still to be agreed.",
            ),
            (
                "1.2",
                "Ensure a positive police response to reported incidents of domestic and sexual violence and abuse",
                "GMP and MARAC",
                "April 2011",
                "Complete",
                "GMP response to domestic abuse incidents reviewed through MARAC and revised guidance issued to response officers.",
            ),
            (
                "1.3",
                "Prevent homelessness by providing security for victims to remain in their homes  if they wish to do so",
                "Partnership",
                "Sept 2011",
                "G",
                "Sanctuary-type security measures being fitted for victims who choose to stay in their own homes.",
            ),
            (
                "1.4",
                "Develop a positive confidence in our services to enable victims to refer to comfortably",
                "Providers",
                "August 2012",
                None,
                None,
            ),
        ],
    ),
    (
        "Objective 2 – Communication",
        [
            (
                "2.1",
                "Improve the communications strategy through newsletters and forum",
                "Safeguarding lead",
                "Sept 2011",
                "Green",
                "Quarterly partnership newsletter launched and the practitioner forum meeting regularly.",
            ),
            (
                "2.2",
                "Deliver at least 2 campaigns per year to raise awareness of attitude",
                "Karen Cooney",
                "Mar 2014",
                "amber",
                "One awareness campaign delivered this year; the second is planned for the winter period.",
            ),
            (
                "2.3",
                "Promote new services and their outcomes at least annually",
                "Debbie Nash",
                "Mar 2014",
                None,
                None,
            ),
        ],
    ),
    (
        "Objective 3 – Safeguarding",
        [
            (
                "3.1",
                "Provide training for professionals working with children and young people, including teachers and school support staff to ensure an appropriate response for children experiencing domestic abuse and sexual violence and abuse",
                "Safeguarding Board and Lead for CYPS",
                "April 2012 and on going",
                "G",
                "Domestic abuse awareness sessions delivered to school safeguarding leads, with further sessions booked for support staff.",
            ),
            (
                "3.2",
                "Provide access to services and resources for children and young people which adequately and appropriately protect and support them",
                "All in partnership",
                "June 2011",
                None,
                None,
            ),
            (
                "3.3",
                "Help young people achieve positive relationships based on mutuality and respect through the continued provision engaging young people from differing communities to build strong local relationships",
                "Dave Boulger",
                "Sept 2012",
                "red",
                "Funding for the healthy relationships sessions has not been secured; an options paper is going to the next partnership meeting.",
            ),
            (
                "3.4",
                "Ensure all partners and providers of services are trained in safeguarding to at least level 1",
                "Debbie Nash",
                "April 2012",
                "Amber",
                "Level 1 safeguarding training offered to all providers; completion records are still being collated.",
            ),
            (
                "3.5",
                "Develop links with CYPS service providers and adult service providers in substance misuse to ensure secure pathway management and same standard of expectation in safeguarding principles",
                "Debbie Nash\nCharlotte Ramsden",
                "April 2012",
                None,
                None,
            ),
        ],
    ),
    (
        "Objective 4 – Provision",
        [
            (
                "4.1",
                "Ensure the continued service provided by IDVAs",
                "Debbie Nash",
                "April 2012",
                "Complete",
                "IDVA service funding confirmed for the year and the service is continuing.",
            ),
            (
                "4.2",
                "Seek funds to deliver an ISVA service",
                "Debbie Nash and Rape Crisis",
                "March 2013",
                "R",
                "First funding bid for an ISVA post was unsuccessful; alternative sources are being explored with Rape Crisis.",
            ),
            (
                "4.3",
                "Continue to support and grow support centres such as Trafford Rape Crisis",
                "Debbie Nash and PCT",
                "April 2012",
                None,
                None,
            ),
            (
                "4.4",
                "Enable signposting through agencies such as Women’s Aid and Victim and Witness Support",
                "providers",
                "Mar 2012",
                "G",
                "Signposting leaflets refreshed and shared with Women’s Aid and Victim and Witness Support.",
            ),
            (
                "4.5",
                "Continue to provide Outreach floating support",
                "Safer Partnership",
                "April 2011-02-28",
                "Complete",
                "Outreach floating support contract extended and the service is running.",
            ),
            (
                "4.6",
                "Seek collaboration with CYPS for provision to protect children",
                "Debbie Nash\nCharlotte Ramsden",
                "April 2012",
                None,
                None,
            ),
        ],
    ),
    (
        "Objective 5 – Protection: Improved access to court and criminal justice",
        [
            (
                "5.1",
                "Continue to support the Specialist Domestic Violence Court through provision of IDVAs and  Victim Support DV worker",
                "Safe. Strong partnership",
                "",
                "Green",
                "IDVAs and the Victim Support DV worker continue to attend every Specialist Domestic Violence Court sitting.",
            ),
            (
                "5.2",
                "Ensure training and safeguarding training is available for all members of the judiciary in relation to domestic and sexual violence and abuse",
                "Charlotte Ramsden",
                "",
                "Not started",
                "No approach has yet been made to the judiciary about training.",
            ),
            (
                "5.3",
                "Establish the costs of legal advocacy for supporting victims who wish to take the civil or criminal justice route",
                "Debbie Nash and CPS",
                "Mar 2013",
                None,
                None,
            ),
        ],
    ),
    (
        "Objective 6 – Transform for the future by effectively and efficiently tackling the key drivers behind offending and re-offending",
        [
            (
                "6.1",
                "Achieve CAADA accreditation for MARAC",
                "DV Lead",
                "July 2011",
                "Complete",
                "CAADA self-assessment submitted and MARAC accreditation confirmed.",
            ),
            (
                "6.2",
                "Maintain the growth of MARAC referrals to reduce repeat victimisation",
                "GMP, IDVAs and Violence lead",
                "Mar 2012",
                "Amber",
                "MARAC referrals are rising but remain below the recommended level; referral routes are being promoted to partners.",
            ),
            (
                "6.3",
                "Increase the access to perpetrators of domestic and sexual violence to appropriate courses or interventions",
                "Probation and\npartners",
                "Sept 2012",
                None,
                None,
            ),
            (
                "6.4",
                "Increase the number of offenders accessing and completing self referral perpetrator programmes",
                "Probation and\nIOM",
                "Dec 2012",
                "red",
                "Self-referral programme places are under-used; Probation is reviewing how offenders are referred.",
            ),
            (
                "6.5",
                "Reduce the re-offending rate of perpetrators by identifying persistent and repeat offenders and prioritising access the interventions",
                "GMP\nProbation\nIOM",
                "Dec 2012",
                None,
                None,
            ),
            (
                "6.6",
                "Share the findings of “what works with offenders principles” with the wider partnership and develop new, innovative and best value options to introduce Restorative Justice in appropriate circumstances.",
                "Probation\nIOM",
                "Mar 2013",
                None,
                None,
            ),
            (
                "6.7",
                "Examine the potential for an alcohol arrest referral scheme",
                "Debbie Nash\nGMP",
                "Sept 2011",
                "A",
                "Scoping of an alcohol arrest referral scheme under way with GMP custody staff.",
            ),
            (
                "6.8",
                "The Safer Trafford Partnership should work closely with Trafford CYPS to develop meaningful action to tackle the issue of sexual exploitation of children and young people",
                "All",
                "Mar 2012",
                None,
                None,
            ),
        ],
    ),
]

VAWC_ABOUT = [
    "Trafford Reducing Violence Against Women and Children (VAWC) Delivery Plan 2011/2014 - demo copy",
    "Source: Trafford Reducing Violence Against Women and Children Strategy 2011–2014 (Safer Trafford Partnership), "
    "delivery plan table 'Reducing Violence Against Women and Children Delivery Plan 2011/2014'.",
    "Objective, Ref, Action, Owner and Deadline are transcribed as written in the source (typos and deadline wording kept; "
    "Deadline is blank for 5.1 and 5.2 because the source gives none).",
    "Placeholder rows 1.5, 1.6 and 2.4 in the source contain only a number and are not actions, so they are omitted.",
    "In the source, the RAG, Progress Report, Resourcing, NI / STA and Strategy Link columns are empty for every action.",
    "RAG and Progress Report values in this file are DEMO values added for illustration; they are not from the source plan. "
    "Rows carrying demo values are flagged in the 'Demo note' column.",
    "RAG values deliberately use mixed spellings (e.g. 'G', 'Amber', 'red', 'Complete') to exercise the RAG reader.",
    "Rebuild with: .venv/bin/python data/build_demo.py",
]

VAWC_WIDTHS = {
    "Objective": 34,
    "Ref": 6,
    "Action": 60,
    "Owner": 26,
    "Deadline": 18,
    "RAG": 11,
    "Progress Report": 50,
    "Resourcing": 14,
    "NI / STA": 10,
    "Strategy Link": 14,
    "Demo note": 40,
}

# ---------------------------------------------------------------------------
# 2. Trafford Domestic Abuse Steering Group action plan
# ---------------------------------------------------------------------------
# Source columns: Action | Milestone | Lead | Completion Date | Target | Update | RAG.
# The source has no reference numbers. Rows split across page breaks have been
# joined back together with a single space; repeated header rows are dropped.
# "source_update" / "source_rag" hold text that IS in the source; "demo_*" do not.

DA_HEADER = [
    "Strategic Objective",
    "Objective Description",
    "Action",
    "Milestone",
    "Lead",
    "Completion Date",
    "Target",
    "Update",
    "RAG",
    "Demo note",
]

MAP_ROW_NOTE = (
    "Source correction: the source table has 'G' in the Target column (the RAG slipped one "
    "column left); it is shown here as RAG 'G' with Target left empty. Not a demo value."
)


def _a(
    action,
    milestone,
    lead,
    date,
    target,
    *,
    update="",
    rag="",
    demo_rag=None,
    demo_update=None,
    note=None,
):
    return {
        "action": action,
        "milestone": milestone,
        "lead": lead,
        "date": date,
        "target": target,
        "source_update": update,
        "source_rag": rag,
        "demo_rag": demo_rag,
        "demo_update": demo_update,
        "note": note,
    }


DA_PLAN = [
    (
        "Victims",
        "To provide and maintain support to victims of domestic abuse to reduce repeat victimisation, increase confidence to encourage reporting and prevent future harm.",
        [
            _a(
                "Inputs to be provided in relation to Honour Based Violence and Female Genital Mutilation.",
                "Multi agency Safeguarding Children training has been provided re FGM and Forced marriage  Task and finish group 6.12.13 to review FGM awareness and safeguarding children and adults re FGM in Trafford",
                "R Speight Named Nurse Safeguarding Children",
                "November 2014",
                "Ensure effective response to prevention and safeguarding adults and children at risk of exposed to FGM in Trafford across agencies",
                demo_rag="Amber",
                demo_update="Task and finish group has met and is drafting an FGM awareness briefing for frontline staff.",
            ),
            _a(
                "Develop a understanding of the victims pathway / journey to assist in the commissioning process",
                "DV pathway in place between A&E TGH (CMFT) and victim support Safeguarding children have TSCB Domestic Abuse Joint protocol information sharing protocol between police and Social care, health and education",
                "To be led by Practitioner network",
                "March 2014",
                "To ensure a fit for purpose process for the victim experience",
                demo_rag="Green",
                demo_update="Practitioner network has mapped the victim journey from first disclosure to support and shared a draft with the board.",
            ),
            _a(
                "Agree upon most appropriate mechanism for continued monitoring of the MARAC process.",
                "For CAADA accreditation there needs to be a marac steering group addressing strategic issues currently Trafford marac functions effectively according to CAADA quality assurance and this needs to be maintained possibly through the Milestone programme delivery board",
                "Jeremy Pidd, Kylie Thornton",
                "January 2014",
                "Ensure appropriate Marac delivery",
                demo_rag="Complete",
                demo_update="Board agreed that MARAC oversight will be a standing item at the Programme Delivery Board.",
            ),
            _a(
                "Consider developing a bespoke package for BME victims and BME communities.",
                "Link to existing Sohali project in Old Trafford also there was a report commissioned and written in Trafford re forced marriage.",
                "Lead by Commissioning Group Kylie Thornton / Ian Peet",
                "April 2014",
                "Ensure appropriate services are available for all sectors of Trafford Community",
            ),
            _a(
                "Consider how housing letting legislation can be utilised to support victims and disperse perpetrators",
                "Link to HOST Report to be submitted to DADPB",
                "Richard Roe",
                "June 2014",
                "Effective housing practices in place to protect victims",
                demo_rag="Amber",
                demo_update="HOST report drafted and due to be presented at the next DADPB meeting.",
            ),
            _a(
                "Consider process and support of young people who are in relationships, with a focus on girls linked to gangs, where domestic abuse is present.",
                "Clear pathway and referral process.",
                "Area Family Support representative (to be nominated to PDB) and YOS representative.",
                "End of March 2014",
                "Adequate awareness and support provided to those most in need.",
            ),
            _a(
                "Continue to support and evaluate the Independent Domestic Violence Advisors.",
                "Conduct review of existing service provision. Consider in line with the Greater Manchester arrangements.",
                "Commissioning Group Kylie Thornton / Ian Peet / Graham Cruel",
                "March-June 2014",
                "To provide advocacy and support to male and female victims of domestic abuse (aged 16 plus). Particularly those at very high-risk of harm.",
                demo_rag="Green",
                demo_update="Review of IDVA provision is under way and aligned with the Greater Manchester arrangements.",
            ),
            _a(
                "Continue to support and evaluate Domestic Violence Support Workers.",
                "Conduct review of existing service provision. Consider in line with the Greater Manchester arrangements.",
                "Commissioning group. Kylie Thornton / Ian Peet /Graham Cruel",
                "March –June 2014",
                "Serving as a victim’s primary point of contact, discussing the range of options available, encouraging victims reporting incidents to the police, ensuring early signposting to other agencies.",
                demo_rag="Amber",
                demo_update="Review of support worker provision has started but is waiting on the Greater Manchester commissioning position.",
            ),
            _a(
                "Ensure effective Target Hardening support is available to support victims of Domestic Abuse in their own homes.",
                "Through the commissioning sub group consider funding pool for target hardening.",
                "Kylie Thornton/ Ian Peet.",
                "April 2014",
                "To provide additional security measures to victims within their own home.",
                demo_rag="Red",
                demo_update="No funding pool for target hardening has been identified yet; escalated to the commissioning sub group.",
            ),
            _a(
                "Ensure learning from DHR both locally and nationally are adequately reflected in the Local Authority and commissioned services and that a process is in place to monitor",
                "Agree how DHR outcomes will feed into the DA framework.",
                "Dave Boulger",
                "March 2014",
                "Improved response to victims by lessons learned from DHR's",
            ),
        ],
    ),
    (
        "Children and Young People",
        "To recognise the needs of and provide support for children and young people whose lives are affected by domestic abuse and to promote preventative approaches through early help.",
        [
            _a(
                "Work with schools and area family support teams to scope the appetite for education /awareness sessions within schools, to work with young people (especially teenagers) to reduce the risks of becoming victims/perpetrators of domestic abuse.",
                "Feedback to Programme Delivery Board business case for school education programme.",
                "Angela Gibbons and Cathy Rooney(supporting)",
                "March 2014",
                "Effective package developed to promote understanding of DA amongst young people,",
                update="this has already been commenced in some schools through TDAS and education welfare service Kathy Bell has awareness of services within schools Also Ken McDonald chaired a DV scoping group that was looking at addressing young peoples needs with a bespoke programme with the aim to reduce the likelihood of young people becoming victims/ perpetrators of domestic abuse",
            ),
            _a(
                "Ensure providers of Domestic Abuse services across Trafford have embedded Safeguarding procedures and know how/ when to make appropriate referrals to MARAT",
                "Safeguarding training completed and referral pathway supported.",
                "Cathy Rooney and Angela Gibbons",
                "April 2014",
                "Raise awareness and understanding of DA issues to ensure seamless referral",
                update="TSCB have multi agency safeguarding children training course in place re domestic abuse and children Safeguarding health deliver a domestic abuse awareness training course for health professionals in Trafford. This course is open to all health professionals but for specific groups of staff attendance is mandatory",
            ),
            _a(
                "Consider development of bespoke package to raise awareness of Domestic Abuse to young people including support for young people who experience Domestic Abuse in the home.",
                "Evaluate previous service specification for this area of work Report to PDB on previous research to develop programme to target young perpetrators.",
                "Youth Offending Service",
                "Jan 2014",
                "Raise understanding of DA and provide support at earliest opportunity.",
                demo_rag="Amber",
                demo_update="Previous service specification evaluated; the report to PDB is being written.",
            ),
            _a(
                "Ensure commissioned adult services are aware of how to effectively respond to reports of DA and consider the whole family make up.",
                "Clear referral pathway for Family CAF and early help encompassing adults services and included in service offer.",
                "Angela Gibbons and CR",
                "March –April 2014",
                "Ensure adequate training and promote referral mechanisms.",
            ),
            _a(
                "Develop local offer of services supporting children and families around domestic abuse.",
                "Publish service offer on Trafford’s Family Information Service including search functionality against domestic abuse.",
                "Angela Gibbons",
                "March-April 2014",
                "Raise awareness across partners and to residents of Trafford.",
                demo_rag="Complete",
                demo_update="Domestic abuse service offer published on the Family Information Service with search enabled.",
            ),
            _a(
                "Consider development of Junior MARAC in line with Greater Manchester approach.",
                "Attend GM meetings around the Junior MARAC. Report to be developed for DAPDB",
                "Angela Gibbons, Catherine Fleming.",
                "June 2014",
                "Develop multiagency approach for young people identified as victims.",
                demo_rag="Not started",
                demo_update="Work has not started while the Greater Manchester Junior MARAC model is still being agreed.",
            ),
        ],
    ),
    (
        "Perpetrators",
        "To ensure individual perpetrators of domestic abuse recognise and understand their behaviour are held accountable and supported if they want to address and change their behaviours",
        [
            _a(
                "Consider development of specification by GM Probation Trust for local voluntary perpetrator programme, in conjunction with other available information on accredited programmes",
                "Service Specification to be developed.",
                "Probation / Commissioning Sub Group",
                "March- July 2014",
                "Greater number of perpetrators engaged through voluntary provision at an earlier stage.",
                demo_rag="Amber",
                demo_update="GM Probation Trust is drafting the specification alongside a review of accredited programmes.",
            ),
            _a(
                "Consider development of a bespoke package to work with teenage perpetrators of Domestic Abuse",
                "Report to PDB on previous research to develop programme to target young perpetrators.",
                "Youth Offending Service representative",
                "Jan 2014",
                "Engaging with teenage perpetrators at the earliest opportunity.",
            ),
            _a(
                "Review IDAP process and consider additional catch up sessions.",
                "Report to DA business Delivery Board",
                "Probation",
                "Feb 2014",
                "Ensure effective practices",
                demo_rag="Complete",
                demo_update="IDAP review reported to the board and additional catch-up sessions agreed.",
            ),
            _a(
                "Probation service to consider development of a peer led support group for those completing IDAP.",
                "Report to DA Programme Delivery Board",
                "Probation",
                "March 2014",
                "Greater number of perpetrators successfully complete the IDAP programme.",
                demo_rag="Red",
                demo_update="Probation has not yet been able to resource a peer-led support group.",
            ),
            _a(
                "Research the Greater Manchester area for any bespoke perpetrator packages for example Freedom Programme for perpetrators.",
                "Report to DA Programme Delivery Board",
                "Probation",
                "May 2014",
                "Greater numbers of perpetrators engaged with provision.",
            ),
        ],
    ),
    (
        "Joint Working and Commissioning",
        "To improve the joint working and commissioning between agencies, including information sharing and establish robust structures to enable a co-ordinated approach.",
        [
            _a(
                "Agree short-term and long term funding and commissioning arrangements for DA service provision for 2014/15 onwards and communicate to providers. Where possible the board should maximise use of pooled budgets to provide a more sustained and streamlined approach.",
                "Programme Delivery Board agreeing the commissioning approach of DA across CFW.",
                "Commissioning Sub Group",
                "April 2014",
                "Ensure effective and ongoing support for victims.",
                demo_rag="Amber",
                demo_update="Commissioning approach for 2014/15 discussed at the Programme Delivery Board; pooled budget options are being costed.",
            ),
            _a(
                "Agree a collective funding process that enables the Local Authority and Partners to contribute to and benefit from collaboratively developed or commissioned activities and initiatives, e.g. GM DV Helpline, GM-wide publicity campaigns",
                "Programme Delivery Board develop and agree commissioning approach",
                "Commissioning Sub Group",
                "April 2014",
                "Ensure effective and ongoing support for victims.",
            ),
            _a(
                "Draft, consult upon and agree a revised and updated Domestic Abuse Strategy for the Borough",
                "Draft strategy to be presented to SVTG, TSCB, Scrutiny Committee and HWB",
                "Kylie Thornton",
                "Dec 2013",
                "Ensure effective practice is reflected in a robust strategy which is owned by all agencies.",
                demo_rag="Complete",
                demo_update="Revised strategy presented to SVTG, TSCB, Scrutiny Committee and HWB and agreed.",
            ),
            _a(
                "Ensure effective links are made across Greater Manchester and with the Office of the Police Crime Commissioner around Domestic Abuse funding",
                "Make sure Trafford are represented at Greater Manchester Forums and mechanisms are in place to feed into GM business cases etc.",
                "Kylie Thornton",
                "Ongoing",
                "Develop a stanardised approach across Greater Manchester",
                demo_rag="Green",
                demo_update="Trafford is represented at the Greater Manchester domestic abuse forums.",
            ),
            _a(
                "The Local Authority and partners to consider training needs of staff to ensure all appropriate officers understand how to make appropriate referrals and interpret legislation. (Include Primary Care)",
                "Review local and national training packages. Ensure links made with Safeguarding and MARAC training.",
                "Workforce strategy. Kylie Thornton, Cathy Rooney",
                "May 2014",
                "Raise awareness and understanding of DA issues to ensure seamless referral mechanisms across agencies.",
                demo_rag="Amber",
                demo_update="Review of local and national training packages is under way with the workforce strategy lead.",
            ),
            _a(
                "Encourage greater links with Trafford Housing Trust and other Registered Social Landlords in ensuring adequate provision for tenants as victims of DA.",
                "Develop effective links with all Registered Social Landlords through the Practitioner Network",
                "To be led by Practitioner Network",
                "Ongoing",
                "All RSL's aware of DA support. Standardised approach developed across all RSL to support victims of DA.",
            ),
        ],
    ),
    (
        "Information Gathering",
        "Gathering information from across the partnership to produce baseline data which will enable the partnership to understand whether intervention is effective and assist to highlight gaps in services",
        [
            _a(
                "Draw together all available data in order to further develop DV victim and offender profile from that produced At the Problem Profile Meeting.",
                "Draft problem profile to be developed. Completed Problem profile to be presented to DADPB.",
                "Dave Boulger",
                "Jan 2014",
                "Develop clear picture of the extent of DA across Trafford to inform commissioning process.",
                demo_rag="Green",
                demo_update="Draft problem profile produced and circulated to partners for comment.",
            ),
            # Source row: Target = "G", Update and RAG empty. The "G" is a RAG rating
            # that slipped into the Target column, so it is moved to RAG here.
            _a(
                "Map current known service provision and gaps to assist in developing Strategy and developing bids for future funding",
                "CYPS Report completed and featured in report by Ian Peet.",
                "Ian Peet",
                "Nov 2013",
                "",
                rag="G",
                note=MAP_ROW_NOTE,
            ),
            _a(
                "Ensure robust information exchange mechanisms are in place across the local authority to share information in regards to victims, perpetrators and children.",
                "Review current information exchange arrangements. Implement any necessary changes.",
                "Jed Pidd, Kylie Thornton",
                "July 2014",
                "Swift and robust information exchange protocol in place to assist in early identification and support of victims.",
                demo_rag="Amber",
                demo_update="Current information exchange arrangements across the local authority are being reviewed.",
            ),
            _a(
                "Ensure information protocols are in place with registered social landlords to facilitate sharing of information.",
                "Review current information exchange arrangements. Implement any necessary changes.",
                "Richard Roe, THT other RSL's",
                "August 2014",
                "Swift and robust information exchange protocol in place to assist in early identification and support of victims.",
            ),
            _a(
                "The Delivery Board to agree what is a successful outcome and develops performance measures.",
                "Draft suite of indicators to be developed. Finalised dashboard to be agreed at DAPDB.",
                "Catherine Fleming, Dave Boulger, Kylie Thornton.",
                "February 2014",
                "Clear outcomes and indicators developed to measure success of DA services.",
                demo_rag="Red",
                demo_update="Draft indicator suite is delayed and the dashboard has not yet been agreed.",
            ),
            _a(
                "The Board explores the feasibility of utilising the DASH assessment as a streamlined tool for identifying need.",
                "Review all current assessment in place across all services to identify commonality. Review current approaches across Greater Manchester.",
                "Jed Pidd.",
                "June 2014",
                "Development of standardised assessment across all services to assist swifter referrals between agencies.",
                update="DASH RS.doc",
            ),
            _a(
                "Review all communications and content of DA website to ensure all information is relevant.",
                "Review all current information contained within the DA service directory. Agree new information and updated site with members of DAPDB",
                "Kylie Thornton / Karen Cooney / Communications Team",
                "July 2014",
                "Ease of access to information for residents across Trafford",
            ),
        ],
    ),
]


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------


def vawc_rows() -> list[list[str]]:
    rows = []
    for objective, actions in VAWC_PLAN:
        for ref, action, owner, deadline, demo_rag, demo_progress in actions:
            has_demo = demo_rag is not None or demo_progress is not None
            rows.append(
                [
                    objective,
                    ref,
                    action,
                    owner,
                    deadline,
                    demo_rag or "",
                    demo_progress or "",
                    "",  # Resourcing (empty in source)
                    "",  # NI / STA (empty in source)
                    "",  # Strategy Link (empty in source)
                    DEMO_NOTE if has_demo else "",
                ]
            )
    return rows


def da_rows() -> list[list[str]]:
    rows = []
    for objective, description, actions in DA_PLAN:
        for a in actions:
            if a["source_update"] and a["demo_update"]:
                raise ValueError(f"real update would be replaced: {a['action'][:40]}")
            if a["source_rag"] and a["demo_rag"]:
                raise ValueError(f"real RAG would be replaced: {a['action'][:40]}")
            has_demo = a["demo_rag"] is not None or a["demo_update"] is not None
            note = DEMO_NOTE if has_demo else (a["note"] or "")
            rows.append(
                [
                    objective,
                    description,
                    a["action"],
                    a["milestone"],
                    a["lead"],
                    a["date"],
                    a["target"],
                    a["source_update"] or a["demo_update"] or "",
                    a["source_rag"] or a["demo_rag"] or "",
                    note,
                ]
            )
    return rows


def write_xlsx(path: Path = XLSX_PATH) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Delivery plan"
    ws.append(VAWC_HEADER)
    for row in vawc_rows():
        ws.append(row)

    bold = Font(bold=True)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = wrap_top
    ref_col = VAWC_HEADER.index("Ref") + 1
    deadline_col = VAWC_HEADER.index("Deadline") + 1
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap_top
            if cell.column in (ref_col, deadline_col):
                cell.number_format = "@"  # keep "1.1" / "April 2011-02-28" as text
    for idx, name in enumerate(VAWC_HEADER, start=1):
        ws.column_dimensions[ws.cell(row=1, column=idx).column_letter].width = VAWC_WIDTHS[name]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions

    about = wb.create_sheet("About")
    for line in VAWC_ABOUT:
        about.append([line])
    about["A1"].font = bold
    about.column_dimensions["A"].width = 120
    for row in about.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    wb.save(path)


def write_csv(path: Path = CSV_PATH) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(DA_HEADER)
        writer.writerows(da_rows())


def main() -> None:
    write_xlsx()
    write_csv()
    n_vawc = sum(len(actions) for _, actions in VAWC_PLAN)
    n_da = sum(len(actions) for _, _, actions in DA_PLAN)
    print(f"wrote {XLSX_PATH.name}: {n_vawc} actions")
    print(f"wrote {CSV_PATH.name}: {n_da} actions")


if __name__ == "__main__":
    main()
