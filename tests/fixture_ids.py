"""Named IDs of the hand-made fixture graph in ``tests/data/fixture`` (21 HPO terms, 40 expressions,
a slice of ICD-10-CM chapter 18 and G43, six template sections).

Known shape, by design:
- Seizure, Urinary urgency and Restless legs have no ICD-10-CM code; Restless legs (under limbs) has no
  template section either, so it is uncodable in every sense.
- Eight expressions map to no concept (the brain-zaps family, the internal-vibration family, a crash after
  exertion, hangxiety): unmapped expressions.
- "having a fit", "always need to go" and "creepy crawly legs at night" map to a concept with no ICD-10-CM code.
- "fluttery feeling in my chest" reaches R00.2 only through a relatedMatch (0.5) and "my chest feels tight" only
  through a broadMatch (0.6): weak bridges.
- R00.1 (bradycardia) and R06.2 (wheezing) are reached by no patient expression: stranded categories.
"""
from pathlib import Path

FIXTURE_DIR = Path(__file__).parent / "data" / "fixture"

# concepts
PHENOTYPIC_ABNORMALITY = "HP:0000118"
NERVOUS_SYSTEM = "HP:0000707"
PARESTHESIA = "HP:0003401"
HEADACHE = "HP:0002315"
MIGRAINE = "HP:0002076"
VERTIGO = "HP:0002321"
SEIZURE = "HP:0001250"
GENITOURINARY = "HP:0000119"
DYSURIA = "HP:0100518"
URINARY_URGENCY = "HP:0000012"
CARDIOVASCULAR = "HP:0001626"
PALPITATIONS = "HP:0001962"
CHEST_PAIN = "HP:0100749"
RESPIRATORY = "HP:0002086"
DYSPNEA = "HP:0002094"
COUGH = "HP:0012735"
CONSTITUTIONAL = "HP:0025142"
FATIGUE = "HP:0012378"
FEVER = "HP:0001945"
LIMBS = "HP:0040064"
RESTLESS_LEGS = "HP:0012452"
OBSOLETE_TERM = "HP:0099999"

# categories
R00_2_PALPITATIONS = "ICD10CM:R00.2"
R00_1_BRADYCARDIA = "ICD10CM:R00.1"
R06_2_WHEEZING = "ICD10CM:R06.2"
R20_2_PARESTHESIA = "ICD10CM:R20.2"
R30_0_DYSURIA = "ICD10CM:R30.0"
R51_9_HEADACHE = "ICD10CM:R51.9"
R42_DIZZINESS = "ICD10CM:R42"
G43_9_MIGRAINE = "ICD10CM:G43.9"
R07_9_CHEST_PAIN = "ICD10CM:R07.9"
ROS_NEUROLOGICAL = "ROS:neurological"
ROS_SKIN = "ROS:skin"

# expressions
PINS_AND_NEEDLES = "HGAPEX:0001"
WATERWORKS_BURN = "HGAPEX:0004"
HEART_RACING = "HGAPEX:0007"
FLUTTERY_CHEST = "HGAPEX:0009"
CHEST_FEELS_TIGHT = "HGAPEX:0015"
SICK_HEADACHE = "HGAPEX:0028"
HAVING_A_FIT = "HGAPEX:0030"
ALWAYS_NEED_TO_GO = "HGAPEX:0031"
CREEPY_CRAWLY_LEGS = "HGAPEX:0032"
BRAIN_BUZZING = "HGAPEX:0033"
BRAIN_ZAPS = "HGAPEX:0034"
HEAD_FIZZING = "HGAPEX:0035"
ELECTRIC_SHIVERS = "HGAPEX:0036"
INTERNAL_VIBRATIONS = "HGAPEX:0037"
BODY_BUZZING = "HGAPEX:0038"
CRASH_AFTER_EXERTION = "HGAPEX:0039"
HANGXIETY = "HGAPEX:0040"

UNMAPPED_EXPRESSIONS = {BRAIN_BUZZING, BRAIN_ZAPS, HEAD_FIZZING, ELECTRIC_SHIVERS, INTERNAL_VIBRATIONS,
                        BODY_BUZZING, CRASH_AFTER_EXERTION, HANGXIETY}
