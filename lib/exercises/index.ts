// Registers every notebook's exercises. One module per notebook: add its import here.
import { registerExercises } from "../grading/registry";
import { exercises as example } from "./00-example";

registerExercises([...example]);
