// Registers every notebook's exercises. One module per notebook: add its import here.
import { registerExercises } from "../check/registry";
import { exercises as boasVindas } from "./00-boas-vindas";
import { exercises as conectividade } from "./01-conectividade";
import { exercises as filtrosConvolucao } from "./02-filtros-convolucao";
import { exercises as passoPreenchimentoRelu } from "./03-passo-preenchimento-relu";
import { exercises as outrosFiltrosOlhos } from "./04-outros-filtros-olhos";
import { exercises as pneumonia } from "./09-pneumonia";
import { exercises as pooling } from "./05-pooling";
import { exercises as filtros3dCnn } from "./06-filtros-3d-cnn";
import { exercises as dropout } from "./07-dropout";

registerExercises([...boasVindas, ...conectividade, ...filtrosConvolucao, ...passoPreenchimentoRelu, ...outrosFiltrosOlhos, ...pneumonia, ...pooling, ...filtros3dCnn, ...dropout]);
