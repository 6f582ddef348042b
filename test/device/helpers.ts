export { codeOf } from "../errors";
